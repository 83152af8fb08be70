namespace GatewayProxy.Perf.EndToEnd.BigBot;

/// <summary>What one <c>e2e --big-bot</c> curve runs: shard counts, world size, load, and the bounds of each phase.</summary>
internal sealed record BigBotOptions
{
    /// <summary>Shard counts of the curve, one bounded run each.</summary>
    public IReadOnlyList<int> ShardCounts { get; init; } = [100, 250, 500, 1000];

    /// <summary>Guilds per shard (sizes from the Simulator's guild size mix).</summary>
    public int GuildsPerShard { get; init; } = 250;

    /// <summary>Mean live events per second per shard (most shards 1–10, a few 100–500, scaled to this mean).</summary>
    public double MeanRate { get; init; } = 10;

    /// <summary>The Simulator's identify interval per bucket (Discord: 5 s).</summary>
    public int IdentifyIntervalMs { get; init; } = 100;

    /// <summary>max_concurrency (identify buckets).</summary>
    public int MaxConcurrency { get; init; } = 16;

    /// <summary>The proxy's ring_size (and backpressure).</summary>
    public int RingSize { get; init; } = RunSettings.RingSize;

    /// <summary>Shards whose client checks every event's bytes (half zlib-stream, half zstd-stream); every other shard gets a client that checks READY, its guild count and the order.</summary>
    public int SampleShards { get; init; } = 32;

    /// <summary>The measured window of live load.</summary>
    public TimeSpan Window { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>The churn phase (clients connect, resume, drop, stall) after the window.</summary>
    public TimeSpan Churn { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Churn workers.</summary>
    public int ChurnWorkers { get; init; } = 8;

    /// <summary>Seed of the world and of the load schedule.</summary>
    public int Seed { get; init; } = 1;

    /// <summary>Where the CSV and the PNG of a curve go (null: not written).</summary>
    public string? OutputDirectory { get; init; }

    /// <summary>The CI-sized run of <c>e2e --quick</c>: 64 shards, 16,000 guilds, short phases.</summary>
    public static BigBotOptions Quick => new()
    {
        ShardCounts = [64],
        SampleShards = 8,
        Window = TimeSpan.FromSeconds(10),
        Churn = TimeSpan.FromSeconds(5),
        ChurnWorkers = 4,
    };

    /// <summary>The identify floor: buckets identify in parallel, one shard per bucket per interval, the first at once.</summary>
    public TimeSpan IdentifyFloor(int shards) =>
        TimeSpan.FromMilliseconds(IdentifyIntervalMs * (double)(((shards + MaxConcurrency - 1) / MaxConcurrency) - 1));
}
