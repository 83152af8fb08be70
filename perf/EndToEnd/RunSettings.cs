namespace GatewayProxy.Perf.EndToEnd;

/// <summary>Fixed knobs of every end-to-end run.</summary>
internal static class RunSettings
{
    /// <summary>The proxy's ring_size and backpressure: no client is cut while it stays within the flow window.</summary>
    public const int RingSize = 4096;

    /// <summary>Events a shard's firehose may be ahead of its slowest client.</summary>
    public const int FlowWindow = 1024;

    /// <summary>Events handed to the Simulator per call (one send stamp each).</summary>
    public const int EmitBatch = 16;

    /// <summary>Guilds generated per shard.</summary>
    public const int GuildsPerShard = 4;

    /// <summary>Distinct pre-generated dispatches per shard (replayed in a loop).</summary>
    public const int PoolSize = 1024;

    /// <summary>The Simulator's token.</summary>
    public const string Token = "sim-token";

    /// <summary>Every intent the Simulator knows (clients and the proxy receive every event type).</summary>
    public const long Intents = 0x1FFFF | (1 << 20) | (1 << 21) | (1 << 24) | (1 << 25);

    /// <summary>Longest a phase (connect, snapshot, warm-up, measurement) may take before the run fails.</summary>
    public static readonly TimeSpan PhaseLimit = TimeSpan.FromSeconds(180);
}
