using System.Text.Json.Nodes;
using GatewayProxy.Simulator.Gateway;

namespace GatewayProxy.Simulator.Data;

/// <summary>
/// Generates live dispatches for one shard and applies each to the generated state, so the state stays what a
/// perfect cache would hold. Callers hold the shard's lock.
/// </summary>
internal sealed partial class EventGenerator
{
    /// <summary>Recent messages kept per guild for updates and deletes.</summary>
    private const int RecentMessageLimit = 64;

    private static readonly (Kind Kind, int Weight)[] Weights =
    [
        (Kind.MessageCreate, 30), (Kind.MessageUpdate, 6), (Kind.MessageDelete, 4), (Kind.TypingStart, 10),
        (Kind.PresenceUpdate, 15), (Kind.MemberAdd, 3), (Kind.MemberUpdate, 4), (Kind.MemberRemove, 2),
        (Kind.VoiceStateUpdate, 6), (Kind.ChannelCreate, 2), (Kind.ChannelUpdate, 3), (Kind.ChannelDelete, 1),
        (Kind.RoleCreate, 2), (Kind.RoleUpdate, 2), (Kind.RoleDelete, 1), (Kind.GuildUpdate, 1), (Kind.GuildOutage, 1),
    ];

    private readonly ShardData _shard;
    private readonly string _botUserId;

    /// <summary>A generator for one shard's guilds.</summary>
    public EventGenerator(ShardData shard, string botUserId)
    {
        _shard = shard;
        _botUserId = botUserId;
    }

    /// <summary>The kinds of live events.</summary>
    internal enum Kind
    {
        MessageCreate, MessageUpdate, MessageDelete, TypingStart, PresenceUpdate, MemberAdd, MemberUpdate, MemberRemove,
        VoiceStateUpdate, ChannelCreate, ChannelUpdate, ChannelDelete, RoleCreate, RoleUpdate, RoleDelete, GuildUpdate, GuildOutage,
    }

    private Random Rng => _shard.Random;

    /// <summary>See <see cref="SimulatorOptions.SteadyState"/>.</summary>
    public bool SteadyState { get; init; }

    /// <summary>See <see cref="SimulatorOptions.LiveGuildsPerShard"/> (0: every guild).</summary>
    public int LiveGuilds { get; init; }

    /// <summary>
    /// Generates the next event(s), at most <paramref name="budget"/> dispatches, choosing only kinds some session with
    /// <paramref name="intents"/> receives; appends them to <paramref name="output"/> and returns how many were added (0 when the shard has no guild).
    /// </summary>
    public int Next(long intents, int budget, List<LiveEvent> output)
    {
        if (_shard.Guilds.Count == 0 || budget <= 0)
        {
            return 0;
        }

        var total = 0;
        foreach (var (kind, weight) in Weights)
        {
            if (Allowed(kind, intents, budget))
            {
                total += weight;
            }
        }

        if (total == 0)
        {
            return 0;
        }

        // A kind whose preconditions fail (no message to edit, no unused role...) falls back to the next draw; bounded.
        for (var attempt = 0; attempt < 16; attempt++)
        {
            var guild = _shard.Guilds[Rng.Next(LiveGuilds > 0 ? Math.Min(LiveGuilds, _shard.Guilds.Count) : _shard.Guilds.Count)];
            var kind = SteadyState ? Balance(Draw(intents, budget, total), guild) : Draw(intents, budget, total);
            _shard.Ids.Advance(1 + Rng.Next(1500));
            var before = output.Count;
            if (TryGenerate(kind, guild, output))
            {
                return output.Count - before;
            }
        }

        return 0;
    }

    private Kind Draw(long intents, int budget, int total)
    {
        var pick = Rng.Next(total);
        foreach (var (kind, weight) in Weights)
        {
            if (!Allowed(kind, intents, budget))
            {
                continue;
            }

            if (pick < weight)
            {
                return kind;
            }

            pick -= weight;
        }

        return Kind.TypingStart;
    }

    private static bool Allowed(Kind kind, long intents, int budget)
    {
        if (kind == Kind.GuildOutage && budget < 2)
        {
            return false;
        }

        var type = kind switch
        {
            Kind.MessageCreate or Kind.MessageUpdate or Kind.MessageDelete => "MESSAGE_CREATE",
            Kind.TypingStart => "TYPING_START",
            Kind.PresenceUpdate => "PRESENCE_UPDATE",
            Kind.MemberAdd or Kind.MemberUpdate or Kind.MemberRemove => "GUILD_MEMBER_ADD",
            Kind.VoiceStateUpdate => "VOICE_STATE_UPDATE",
            Kind.GuildOutage => "GUILD_CREATE",
            _ => "GUILD_UPDATE",
        };
        var required = IntentGates.Required(type);
        return required == 0 || (intents & required) != 0;
    }

    private bool TryGenerate(Kind kind, GuildData guild, List<LiveEvent> output) => kind switch
    {
        Kind.MessageCreate => MessageCreate(guild, output),
        Kind.MessageUpdate => MessageUpdate(guild, output),
        Kind.MessageDelete => MessageDelete(guild, output),
        Kind.TypingStart => TypingStart(guild, output),
        Kind.PresenceUpdate => PresenceUpdate(guild, output),
        Kind.MemberAdd => MemberAdd(guild, output),
        Kind.MemberUpdate => MemberUpdate(guild, output),
        Kind.MemberRemove => MemberRemove(guild, output),
        Kind.VoiceStateUpdate => VoiceStateUpdate(guild, output),
        Kind.ChannelCreate => ChannelCreate(guild, output),
        Kind.ChannelUpdate => ChannelUpdate(guild, output),
        Kind.ChannelDelete => ChannelDelete(guild, output),
        Kind.RoleCreate => RoleCreate(guild, output),
        Kind.RoleUpdate => RoleUpdate(guild, output),
        Kind.RoleDelete => RoleDelete(guild, output),
        Kind.GuildUpdate => GuildUpdate(guild, output),
        Kind.GuildOutage => GuildOutage(guild, output),
        _ => false,
    };

    /// <summary>Now, on the shard's event clock.</summary>
    private DateTimeOffset Now => DateTimeOffset.FromUnixTimeMilliseconds(_shard.Ids.NowUnixMs);

    /// <summary>A random member other than the bot, or null.</summary>
    private JsonObject? PickMember(GuildData guild, Func<string, JsonObject, bool>? filter = null)
    {
        var members = guild.MemberArray;
        if (members.Count <= 1)
        {
            return null;
        }

        var start = Rng.Next(members.Count);
        for (var i = 0; i < members.Count; i++)
        {
            var member = (JsonObject)members[(start + i) % members.Count]!;
            var id = UserId(member);
            if (id != _botUserId && (filter is null || filter(id, member)))
            {
                return member;
            }
        }

        return null;
    }

    private static string UserId(JsonObject member) => Json.Str((JsonObject)member["user"]!, "id")!;

    private T Pick<T>(List<T> list) => list[Rng.Next(list.Count)];

    /// <summary>The member object as events embed it next to a user (no <c>user</c> key).</summary>
    private static JsonObject MemberWithoutUser(JsonObject member)
    {
        var copy = Json.Clone(member);
        copy.Remove("user");
        return copy;
    }
}
