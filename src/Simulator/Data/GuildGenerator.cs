using System.Globalization;
using System.Text.Json.Nodes;

namespace GatewayProxy.Simulator.Data;

/// <summary>
/// Generates one guild from a position of the world's random sequence and id factory: the same position always gives
/// the same guild, byte for byte (see <see cref="GuildRecipe"/>).
/// </summary>
internal sealed partial class GuildGenerator
{
    /// <summary>Members (after the bot) in voice: a view that lists only the bot and voice members needs no more.</summary>
    public const int VoiceMembers = 3;

    private const string EveryonePermissions = "2222085186637376";
    private readonly WorldTemplate _world;
    private readonly Random _rng;
    private readonly SnowflakeFactory _ids;
    private readonly GuildShape _shape;
    private readonly Random? _memberRng;

    /// <summary>
    /// A generator drawing from <paramref name="rng"/> and minting ids from <paramref name="ids"/> (both advance). With
    /// <paramref name="memberRng"/>, each member and its presence are drawn from that sequence, one member after the other,
    /// so the first N members come out the same whether or not the rest are generated; without it, members and presences
    /// are drawn from <paramref name="rng"/> in the order the sequential world always used.
    /// </summary>
    public GuildGenerator(WorldTemplate world, Random rng, SnowflakeFactory ids, GuildShape shape, Random? memberRng = null)
    {
        _world = world;
        _rng = rng;
        _ids = ids;
        _shape = shape;
        _memberRng = memberRng;
    }

    /// <summary>
    /// Generates the guild <paramref name="guildId"/>: roles, channels, members, presences, voice states, threads and the
    /// rest. With a member sequence, only the bot and the first <paramref name="memberLimit"/> members (and their presences)
    /// are generated: enough for a view that lists only the bot and the members in voice (member_count stays the guild's).
    /// </summary>
    public JsonObject Make(ulong guildId, int memberLimit = int.MaxValue)
    {
        var gid = Json.Id(guildId).GetValue<string>();
        var botId = _world.BotIdString;

        var roles = new JsonArray { EntityFactory.Role(guildId, "@everyone", 0, 0, EveryonePermissions, managed: false, botId: null) };
        var botRoleId = _ids.Next();
        roles.Add(EntityFactory.Role(botRoleId, "SimBot", 0, 1, "8", managed: true, botId: ulong.Parse(botId, CultureInfo.InvariantCulture)));
        var memberRoleIds = new List<string>();
        for (var r = 0; r < _shape.Roles; r++)
        {
            var id = _ids.Next();
            memberRoleIds.Add(Json.Id(id).GetValue<string>());
            roles.Add(EntityFactory.Role(id, Names.Pair(_rng), _rng.Next(0x1000000), r + 2, EveryonePermissions, managed: false, botId: null));
        }

        var channels = new JsonArray();
        var textCategory = _ids.Next();
        channels.Add(EntityFactory.Channel(textCategory, 4, "Text Channels", 0, null));
        var textIds = new List<ulong>();
        for (var c = 0; c < _shape.TextChannels; c++)
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
        for (var c = 0; c < _shape.VoiceChannels; c++)
        {
            var id = _ids.Next();
            voiceIds.Add(id);
            channels.Add(EntityFactory.Channel(id, 2, c == 0 ? "Lounge" : $"Voice {c + 1}", c, voiceCategory));
        }

        var stageId = _ids.Next();
        channels.Add(EntityFactory.Channel(stageId, 13, "Stage", _shape.VoiceChannels, voiceCategory));

        // Members: the bot, then a window of the shared user pool (users are shared across guilds, as on Discord).
        var members = new JsonArray();
        var joinedBase = SnowflakeFactory.TimeOf(guildId);
        members.Add(EntityFactory.Member(_world.BotMemberUser(), new JsonArray(JsonValue.Create(Json.Id(botRoleId).GetValue<string>())), null, joinedBase.AddMinutes(1)));
        var presences = new JsonArray { EntityFactory.Presence(botId, "online", null) };
        var memberIds = _memberRng is { } memberRng
            ? AddMembersOneByOne(memberRng, members, presences, memberRoleIds, joinedBase, memberLimit)
            : AddMembersThenPresences(members, presences, memberRoleIds, joinedBase);

        var voiceStates = new JsonArray();
        var inVoice = Math.Min(VoiceMembers, memberIds.Count);
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
            ["member_count"] = _world.MemberCount(_shape),
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

    /// <summary>The sequential world's order: every member from the main sequence, then every presence.</summary>
    private List<string> AddMembersThenPresences(JsonArray members, JsonArray presences, List<string> memberRoleIds, DateTimeOffset joinedBase)
    {
        var users = _world.Users;
        var start = _rng.Next(users.Length);
        var count = _world.MemberCount(_shape) - 1;
        var memberIds = new List<string>(count);
        for (var m = 0; m < count; m++)
        {
            members.Add(Member(_rng, users[(start + m) % users.Length], memberRoleIds, joinedBase.AddMinutes(2 + m), memberIds));
        }

        foreach (var id in memberIds)
        {
            if (_rng.Next(2) == 0)
            {
                presences.Add(EntityFactory.Presence(id, _rng));
            }
        }

        return memberIds;
    }

    /// <summary>Each member and then its presence from <paramref name="rng"/>, stopping after <paramref name="limit"/> members.</summary>
    private List<string> AddMembersOneByOne(Random rng, JsonArray members, JsonArray presences, List<string> memberRoleIds, DateTimeOffset joinedBase, int limit)
    {
        var users = _world.Users;
        var start = rng.Next(users.Length);
        var count = Math.Min(_world.MemberCount(_shape) - 1, limit);
        var memberIds = new List<string>(count);
        for (var m = 0; m < count; m++)
        {
            members.Add(Member(rng, users[(start + m) % users.Length], memberRoleIds, joinedBase.AddMinutes(2 + m), memberIds));
            if (rng.Next(2) == 0)
            {
                presences.Add(EntityFactory.Presence(memberIds[m], rng));
            }
        }

        return memberIds;
    }

    private static JsonObject Member(Random rng, (ulong Id, string Name) pooled, List<string> memberRoleIds, DateTimeOffset joinedAt, List<string> memberIds)
    {
        var user = EntityFactory.User(pooled.Id, pooled.Name, bot: false);
        memberIds.Add(Json.Str(user, "id")!);
        var memberRoles = new JsonArray();
        var roleCount = rng.Next(3);
        for (var r = 0; r < roleCount; r++)
        {
            var role = memberRoleIds[rng.Next(memberRoleIds.Count)];
            if (!Contains(memberRoles, role))
            {
                memberRoles.Add(role);
            }
        }

        var nick = rng.Next(5) == 0 ? Names.Pair(rng) : null;
        return EntityFactory.Member(user, memberRoles, nick, joinedAt);
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
