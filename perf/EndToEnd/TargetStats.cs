namespace GatewayProxy.Perf.EndToEnd;

/// <summary>A relaying process's counters at one instant: CPU, managed allocations, GC counts, peak resident memory.</summary>
internal readonly record struct TargetStats(double CpuSeconds, long AllocatedBytes, long Gen0, long Gen1, long Gen2, long PeakWorkingSet)
{
    /// <summary>The counters accumulated between <paramref name="before"/> and this (peak memory stays absolute).</summary>
    public TargetStats Since(TargetStats before) => new(CpuSeconds - before.CpuSeconds, AllocatedBytes - before.AllocatedBytes,
        Gen0 - before.Gen0, Gen1 - before.Gen1, Gen2 - before.Gen2, PeakWorkingSet);
}
