namespace GatewayProxy.Perf.EndToEnd;

/// <summary>What one scenario measured against one target.</summary>
internal sealed record RunResult(Scenario Scenario, string Target)
{
    /// <summary>First correctness problem (lost/duplicate/misordered event, wrong bytes, a close, a timeout), or null.</summary>
    public string? Error { get; init; }

    /// <summary>Live events delivered to clients in the measured window (events × clients of their shard).</summary>
    public long Delivered { get; init; }

    /// <summary>Bytes clients read from their sockets in the window.</summary>
    public long WireBytes { get; init; }

    /// <summary>From the first measured send to the last measured receive.</summary>
    public double Seconds { get; init; }

    /// <summary>Latency percentiles, microseconds.</summary>
    public long P50 { get; init; }

    /// <summary>99th percentile latency, microseconds.</summary>
    public long P99 { get; init; }

    /// <summary>99.9th percentile latency, microseconds.</summary>
    public long P999 { get; init; }

    /// <summary>The relaying process's counters over the window.</summary>
    public TargetStats Stats { get; init; }

    /// <summary>Delivered events per second.</summary>
    public double EventsPerSecond => Seconds > 0 ? Delivered / Seconds : 0;

    /// <summary>Wire megabytes (10^6) per second.</summary>
    public double MegabytesPerSecond => Seconds > 0 ? WireBytes / Seconds / 1e6 : 0;

    /// <summary>Relay CPU seconds per million delivered events.</summary>
    public double CpuPerMillion => Delivered > 0 ? Stats.CpuSeconds * 1e6 / Delivered : 0;

    /// <summary>Relay bytes allocated per delivered event.</summary>
    public double AllocatedPerEvent => Delivered > 0 ? (double)Stats.AllocatedBytes / Delivered : 0;
}
