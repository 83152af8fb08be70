using System.Globalization;
using System.Text.Json.Nodes;

namespace GatewayProxy.Simulator.Data;

/// <summary>Generates the bot and its guilds from a seed: the same options always give the same ids and contents.</summary>
internal sealed partial class DataGenerator
{
    /// <summary>Generated data starts at 2024-01-01T00:00:00Z so ids do not depend on the clock.</summary>
    public const long BaseUnixMs = 1_704_067_200_000;

    private const string EveryonePermissions = "2222085186637376";
    private readonly SimulatorOptions _options;
    private readonly Random _rng;
    private readonly SnowflakeFactory _ids = new(BaseUnixMs);
    private readonly List<JsonObject> _userPool = [];

    /// <summary>Prepares a generator for these options.</summary>
    public DataGenerator(SimulatorOptions options)
    {
        _options = options;
        _rng = new Random(options.Seed);
    }

    /// <summary>Generates the bot user, its application and every guild, grouped by shard.</summary>
    public SimulatorState Generate()
    {
        var botId = _ids.Next();
        var bot = EntityFactory.User(botId, "SimBot", bot: true);
        bot["verified"] = true;
        bot["mfa_enabled"] = false;
        bot["flags"] = 0;
        bot["email"] = null;

        // Applications made since 2020 share their id with their bot user.
        var application = new JsonObject { ["id"] = Json.Id(botId), ["flags"] = 565248 };

        var poolSize = Math.Min(Math.Max(_options.MembersPerGuild * 3, 16), 200_000);
        _ids.Advance(86_400_000);
        for (var i = 0; i < poolSize; i++)
        {
            _userPool.Add(EntityFactory.User(_ids.Next(), Names.User(_rng), bot: false));
        }

        var shards = new List<GuildData>[_options.ShardCount];
        for (var s = 0; s < shards.Length; s++)
        {
            shards[s] = [];
        }

        for (var g = 0; g < _options.GuildCount; g++)
        {
            _ids.Advance(3_600_000 + _rng.Next(3_600_000));
            var shard = g % _options.ShardCount;
            var guildId = _ids.NextOnShard(shard, _options.ShardCount);
            // Held serialized (cold) until something changes it: a JsonNode tree per guild does not fit 100k guilds.
            var guild = MakeGuild(guildId, bot);
            shards[shard].Add(new GuildData(guildId, Json.Str(guild, "id")!, (int)guild["member_count"]!, Json.ToBytes(guild)));
        }

        return new SimulatorState(_options.ShardCount, bot, application, shards, _ids, _options.Seed);
    }

    private JsonObject MakeGuild(ulong guildId, JsonObject bot)
    {
        var gid = Json.Id(guildId).GetValue<string>();
        var botId = Json.Str(bot, "id")!;

        var roles = new JsonArray { EntityFactory.Role(guildId, "@everyone", 0, 0, EveryonePermissions, managed: false, botId: null) };
        var botRoleId = _ids.Next();
        roles.Add(EntityFactory.Role(botRoleId, "SimBot", 0, 1, "8", managed: true, botId: ulong.Parse(botId, CultureInfo.InvariantCulture)));
        var memberRoleIds = new List<string>();
        for (var r = 0; r < _options.RolesPerGuild; r++)
        {
            var id = _ids.Next();
            memberRoleIds.Add(Json.Id(id).GetValue<string>());
            roles.Add(EntityFactory.Role(id, Names.Pair(_rng), _rng.Next(0x1000000), r + 2, EveryonePermissions, managed: false, botId: null));
        }

        var channels = new JsonArray();
        var textCategory = _ids.Next();
        channels.Add(EntityFactory.Channel(textCategory, 4, "Text Channels", 0, null));
        var textIds = new List<ulong>();
        for (var c = 0; c < _options.TextChannelsPerGuild; c++)
        {
            var id = _ids.Next();
            textIds.Add(id);
            var channel = EntityFactory.Channel(id, 0, Names.Channel(_rng, c), c, textCategory);
            channel["topic"] = c == 0 ? "Say hello" : null;
            channels.Add(channel);
        }

        var voiceCategory = _ids.Next();
        channels.Add(EntityFactory.Channel(voiceCategory, 4, "Voice Channels", 1, null));
        var voiceIds = new List<ulong>();
        for (var c = 0; c < _options.VoiceChannelsPerGuild; c++)
        {
            var id = _ids.Next();
            voiceIds.Add(id);
            channels.Add(EntityFactory.Channel(id, 2, c == 0 ? "Lounge" : $"Voice {c + 1}", c, voiceCategory));
        }

        var stageId = _ids.Next();
        channels.Add(EntityFactory.Channel(stageId, 13, "Stage", _options.VoiceChannelsPerGuild, voiceCategory));

        // Members: the bot, then a window of the shared user pool (users are shared across guilds, as on Discord).
        var members = new JsonArray();
        var joinedBase = SnowflakeFactory.TimeOf(guildId);
        members.Add(EntityFactory.Member(Json.Clone(bot).Without("verified", "mfa_enabled", "flags", "email"), new JsonArray(JsonValue.Create(Json.Id(botRoleId).GetValue<string>())), null, joinedBase.AddMinutes(1)));
        var start = _rng.Next(_userPool.Count);
        var count = Math.Min(_options.MembersPerGuild - 1, _userPool.Count);
        var memberIds = new List<string>(count);
        for (var m = 0; m < count; m++)
        {
            var user = Json.Clone(_userPool[(start + m) % _userPool.Count]);
            memberIds.Add(Json.Str(user, "id")!);
            var memberRoles = new JsonArray();
            var roleCount = _rng.Next(3);
            for (var r = 0; r < roleCount; r++)
            {
                var role = memberRoleIds[_rng.Next(memberRoleIds.Count)];
                if (!Contains(memberRoles, role))
                {
                    memberRoles.Add(role);
                }
            }

            var nick = _rng.Next(5) == 0 ? Names.Pair(_rng) : null;
            members.Add(EntityFactory.Member(user, memberRoles, nick, joinedBase.AddMinutes(2 + m)));
        }

        var presences = new JsonArray { EntityFactory.Presence(botId, "online", null) };
        foreach (var id in memberIds)
        {
            if (_rng.Next(2) == 0)
            {
                presences.Add(EntityFactory.Presence(id, _rng));
            }
        }

        var voiceStates = new JsonArray();
        var inVoice = Math.Min(3, memberIds.Count);
        for (var v = 0; v < inVoice; v++)
        {
            voiceStates.Add(EntityFactory.VoiceState(memberIds[v], Json.Id(voiceIds[0]).GetValue<string>(), SessionHex()));
        }

        var owner = memberIds.Count > 0 ? memberIds[0] : botId;
        var threads = new JsonArray();
        for (var t = 0; t < 2; t++)
        {
            threads.Add(EntityFactory.Thread(_ids.Next(), guildId, textIds[t % textIds.Count], ulong.Parse(owner, CultureInfo.InvariantCulture), $"thread {Names.Pair(_rng)}"));
        }

        var (emojis, stickers, stageInstances, scheduledEvents, soundboard) = MakeExpressionsAndEvents(gid, stageId, owner);

        var systemChannel = Json.Id(textIds[0]);
        return new JsonObject
        {
            ["id"] = gid,
            ["name"] = $"{Names.Pair(_rng)} guild",
            ["icon"] = null,
            ["splash"] = null,
            ["discovery_splash"] = null,
            ["banner"] = null,
            ["description"] = null,
            ["owner_id"] = owner,
            ["application_id"] = null,
            ["region"] = "deprecated",
            ["afk_channel_id"] = null,
            ["afk_timeout"] = 300,
            ["verification_level"] = 1,
            ["default_message_notifications"] = 1,
            ["explicit_content_filter"] = 2,
            ["mfa_level"] = 0,
            ["nsfw_level"] = 0,
            ["nsfw"] = false,
            ["features"] = new JsonArray(),
            ["system_channel_id"] = systemChannel,
            ["system_channel_flags"] = 0,
            ["rules_channel_id"] = null,
            ["public_updates_channel_id"] = null,
            ["safety_alerts_channel_id"] = null,
            ["vanity_url_code"] = null,
            ["premium_tier"] = 0,
            ["premium_subscription_count"] = 0,
            ["premium_progress_bar_enabled"] = false,
            ["preferred_locale"] = "en-US",
            ["max_members"] = 500000,
            ["max_video_channel_users"] = 25,
            ["max_stage_video_channel_users"] = 50,
            ["incidents_data"] = null,
            ["latest_onboarding_question_id"] = null,
            ["hub_type"] = null,
            ["home_header"] = null,
            ["inventory_settings"] = null,
            ["version"] = 1_700_000_000_000,
            ["lazy"] = true,
            ["roles"] = roles,
            ["emojis"] = emojis,
            ["stickers"] = stickers,
            ["joined_at"] = Json.Timestamp(joinedBase.AddMinutes(1)),
            ["large"] = false,
            ["unavailable"] = false,
            ["member_count"] = members.Count,
            ["voice_states"] = voiceStates,
            ["members"] = members,
            ["channels"] = channels,
            ["threads"] = threads,
            ["presences"] = presences,
            ["stage_instances"] = stageInstances,
            ["guild_scheduled_events"] = scheduledEvents,
            ["soundboard_sounds"] = soundboard,
            ["embedded_activities"] = new JsonArray(),
            ["activity_instances"] = new JsonArray(),
            ["application_command_counts"] = new JsonObject(),
        };
    }

    private string SessionHex() => _rng.NextInt64().ToString("x16", CultureInfo.InvariantCulture) + _rng.NextInt64().ToString("x16", CultureInfo.InvariantCulture);

    private static bool Contains(JsonArray array, string value)
    {
        foreach (var node in array)
        {
            if (node?.GetValue<string>() == value)
            {
                return true;
            }
        }

        return false;
    }
}

/// <summary>Extension helpers for building nodes.</summary>
internal static class JsonObjectExtensions
{
    /// <summary>Removes keys and returns the object, for fluent building.</summary>
    public static JsonObject Without(this JsonObject obj, params string[] keys)
    {
        foreach (var key in keys)
        {
            obj.Remove(key);
        }

        return obj;
    }
}
