using GatewayProxy.Protocol.Gateway;

namespace GatewayProxy.Simulator;

/// <summary>Everything that shapes a simulated Discord: its port, the bot it pretends to be, its limits and its event stream.</summary>
public sealed class SimulatorOptions
{
    /// <summary>TCP port on 127.0.0.1; 0 picks a free one.</summary>
    public int Port { get; set; }

    /// <summary>The bot token REST and IDENTIFY/RESUME must present (with or without <c>Bot </c>).</summary>
    public string Token { get; set; } = "sim-token";

    /// <summary>Number of shards the bot has (returned by /gateway/bot and required in IDENTIFY).</summary>
    public int ShardCount { get; set; } = 2;

    /// <summary>Number of guilds generated, spread over shards by <c>(id &gt;&gt; 22) % shards</c>.</summary>
    public int GuildCount { get; set; } = 20;

    /// <summary>Seed of the deterministic data and event generators.</summary>
    public int Seed { get; set; } = 1;

    /// <summary>Seed of the session ids; null derives it from <see cref="Seed"/>. A restarted Simulator that keeps its data
    /// (same <see cref="Seed"/>) must not hand out the ids of the sessions it forgot: a RESUME of an old id would then take
    /// over another shard's new session.</summary>
    public int? SessionIdSeed { get; set; }

    /// <summary>Identify concurrency: shards share a bucket <c>shard % max_concurrency</c>.</summary>
    public int MaxConcurrency { get; set; } = 1;

    /// <summary>Minimum time between two IDENTIFYs of one bucket (Discord: 5 s); tests shorten it.</summary>
    public TimeSpan IdentifyInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// How late the gateway times an accepted IDENTIFY, as a busy gateway does that processes its queue late: the bucket's
    /// window starts this long after the IDENTIFY arrived, while the next one is judged by its own arrival. Zero (the
    /// default) times each on arrival; tests set it to check that the proxy widens its spacing after an op 9.
    /// </summary>
    public TimeSpan IdentifyStampDelay { get; set; }

    /// <summary>The clock the identify limits, the identify queue and their records go by; tests drive a manual one.</summary>
    public TimeProvider Clock { get; set; } = TimeProvider.System;

    /// <summary>How long the identify queue (<c>/queue?shard=N</c>) waits for a granted shard's IDENTIFY before serving its bucket's next shard.</summary>
    public TimeSpan IdentifyQueueHold { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>session_start_limit.total: successful IDENTIFYs allowed per reset window.</summary>
    public int SessionStartLimit { get; set; } = 1000;

    /// <summary>Length of the session-start window (Discord: 24 h).</summary>
    public TimeSpan SessionStartResetAfter { get; set; } = TimeSpan.FromDays(1);

    /// <summary>heartbeat_interval sent in HELLO.</summary>
    public int HeartbeatIntervalMs { get; set; } = 41250;

    /// <summary>A connection that sends no heartbeat for interval × this factor is closed with 4009.</summary>
    public double HeartbeatTimeoutFactor { get; set; } = 1.5;

    /// <summary>Live events per second per shard once a session is ready (0 = paused).</summary>
    public double EventsPerSecond { get; set; } = 10;

    /// <summary>Live events generated per shard before the stream stops.</summary>
    public long EventCount { get; set; } = long.MaxValue;

    /// <summary>Serve https:// and wss:// with a self-signed certificate generated at start.</summary>
    public bool Tls { get; set; }

    /// <summary>Members generated per guild (the bot included).</summary>
    public int MembersPerGuild { get; set; } = 50;

    /// <summary>Text channels generated per guild.</summary>
    public int TextChannelsPerGuild { get; set; } = 4;

    /// <summary>Voice channels generated per guild.</summary>
    public int VoiceChannelsPerGuild { get; set; } = 2;

    /// <summary>Roles generated per guild besides @everyone.</summary>
    public int RolesPerGuild { get; set; } = 5;

    /// <summary>Intents the application may use; others close with 4014 (default: all known intents).</summary>
    public long AllowedIntents { get; set; } = GatewayIntents.All;

    /// <summary>How long a session whose connection dropped stays resumable.</summary>
    public TimeSpan ResumeWindow { get; set; } = TimeSpan.FromMinutes(3);

    /// <summary>Dispatches each session keeps for replay; an older RESUME seq gets op 9 false.</summary>
    public int ReplayBufferSize { get; set; } = 100_000;

    /// <summary>After op 7, the server closes the connection itself if the client has not (Discord does it "soon").</summary>
    public TimeSpan ReconnectCloseAfter { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>With IDENTIFY compress:true, payloads at least this large are sent as zlib streams.</summary>
    public int PayloadCompressionThreshold { get; set; } = 1024;

    /// <summary>Sent dispatches and received commands kept for observation, per shard; past it the oldest half is dropped (long standalone runs).</summary>
    public int RecordLimit { get; set; } = 1_000_000;

    /// <summary>
    /// Keeps each guild's member, channel and role counts near their starting values (a create past the start becomes a
    /// delete and the other way round), so a long run's state stays the same size; default off (creates outweigh deletes).
    /// </summary>
    public bool SteadyState { get; set; }

    /// <summary>
    /// Draws each guild's size from a large bot's mix instead of the per-guild counts above: 90% small (10–100 members),
    /// 9% large (251–1,000, over any large_threshold), 1% huge (1,000–5,000 members, channels and roles in the hundreds).
    /// Default off: the worlds (and so the bytes) of every seed stay what they were.
    /// </summary>
    public bool GuildSizeMix { get; set; }

    /// <summary>
    /// Live events touch only the first this-many guilds of each shard (a large bot's traffic comes from a few of its
    /// guilds); this also bounds how many guilds the Simulator ever keeps changed state for. 0: every guild.
    /// </summary>
    public int LiveGuildsPerShard { get; set; }

    /// <summary>
    /// Changed guilds each shard keeps as JsonNode trees between generation calls (the oldest thawed are serialized back
    /// to bytes past it); null: every tree is kept. A tree costs ~15× the guild's JSON.
    /// </summary>
    public int? HotGuildsPerShard { get; set; }

    /// <summary>Writes a line per connection, close and fault to standard error.</summary>
    public bool Verbose { get; set; }

    /// <summary>Checks the values and throws <see cref="ArgumentException"/> naming the first wrong one.</summary>
    public void Validate()
    {
        Require(Port is >= 0 and <= 65535, nameof(Port), "0..65535");
        Require(!string.IsNullOrWhiteSpace(Token), nameof(Token), "a non-empty token");
        Require(ShardCount is >= 1 and <= 4096, nameof(ShardCount), "1..4096");
        Require(GuildCount is >= 0 and <= 1_000_000, nameof(GuildCount), "0..1000000");
        Require(MaxConcurrency >= 1, nameof(MaxConcurrency), ">= 1");
        Require(IdentifyInterval >= TimeSpan.Zero, nameof(IdentifyInterval), ">= 0");
        Require(IdentifyQueueHold >= TimeSpan.Zero, nameof(IdentifyQueueHold), ">= 0");
        Require(IdentifyStampDelay >= TimeSpan.Zero, nameof(IdentifyStampDelay), ">= 0");
        Require(Clock is not null, nameof(Clock), "set");
        Require(SessionStartLimit >= 0, nameof(SessionStartLimit), ">= 0");
        Require(SessionStartResetAfter > TimeSpan.Zero, nameof(SessionStartResetAfter), "> 0");
        Require(HeartbeatIntervalMs >= 10, nameof(HeartbeatIntervalMs), ">= 10");
        Require(HeartbeatTimeoutFactor >= 1, nameof(HeartbeatTimeoutFactor), ">= 1");
        Require(EventsPerSecond >= 0 && !double.IsNaN(EventsPerSecond), nameof(EventsPerSecond), ">= 0");
        Require(EventCount >= 0, nameof(EventCount), ">= 0");
        Require(MembersPerGuild is >= 2 and <= 1_000_000, nameof(MembersPerGuild), "2..1000000");
        Require(TextChannelsPerGuild is >= 2 and <= 400, nameof(TextChannelsPerGuild), "2..400");
        Require(VoiceChannelsPerGuild is >= 1 and <= 100, nameof(VoiceChannelsPerGuild), "1..100");
        Require(RolesPerGuild is >= 1 and <= 250, nameof(RolesPerGuild), "1..250");
        Require(ResumeWindow > TimeSpan.Zero, nameof(ResumeWindow), "> 0");
        Require(ReplayBufferSize >= 1, nameof(ReplayBufferSize), ">= 1");
        Require(RecordLimit >= 2, nameof(RecordLimit), ">= 2");
        Require(PayloadCompressionThreshold >= 0, nameof(PayloadCompressionThreshold), ">= 0");
        Require(LiveGuildsPerShard >= 0, nameof(LiveGuildsPerShard), ">= 0");
        Require(HotGuildsPerShard is null or >= 0, nameof(HotGuildsPerShard), "null or >= 0");
    }

    private static void Require(bool ok, string name, string wanted)
    {
        if (!ok)
        {
            throw new ArgumentException($"SimulatorOptions.{name} must be {wanted}.", name);
        }
    }
}
