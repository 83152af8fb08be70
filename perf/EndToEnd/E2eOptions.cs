namespace GatewayProxy.Perf.EndToEnd;

/// <summary>What <c>e2e</c> was asked to run (filled from the command line by <see cref="E2eCommandLine"/>).</summary>
internal sealed class E2eOptions
{
    /// <summary>CI mode: a few small scenarios, bounded counts.</summary>
    public bool Quick { get; init; }

    /// <summary>Only these scenarios (names like <c>4s-64c-zlib</c>); empty = the mode's list.</summary>
    public List<string> Scenarios { get; init; } = [];

    /// <summary>Targets to run each main scenario against.</summary>
    public List<TargetKind> Targets { get; init; } = [TargetKind.Proxy, TargetKind.Raw, TargetKind.Naive];

    /// <summary>Measured live events delivered per run (spread over the clients); null = the mode's default.</summary>
    public long? Events { get; init; }

    /// <summary>Warm-up events per shard; null = the mode's default.</summary>
    public long? Warmup { get; init; }

    /// <summary>Skip the scale curve (full mode).</summary>
    public bool NoScale { get; init; }

    /// <summary>Skip the cache memory table (full mode).</summary>
    public bool NoCache { get; init; }

    /// <summary>Run only the cache memory table.</summary>
    public bool CacheOnly { get; init; }

    /// <summary>Guild counts of the cache memory table.</summary>
    public List<int> CacheGuilds { get; init; } = [1000, 10_000, 100_000];

    /// <summary>Run only the big-bot curve (with <see cref="Quick"/>: only the CI-sized big bot).</summary>
    public bool BigBot { get; init; }

    /// <summary>The big-bot settings (the quick run's when <see cref="Quick"/>).</summary>
    public BigBot.BigBotOptions BigBotSettings { get; init; } = new();
}
