using System.Globalization;

namespace GatewayProxy.Perf.Soak;

/// <summary>The soak's figures and its three targets (docs/soak.md): RSS slope over the last half of the churn, file
/// descriptors and threads back to the baseline once the clients are gone, managed allocation per client connection
/// against the bytes sent to it.</summary>
internal sealed class SoakAnalysis
{
    /// <summary>RSS slope target, MB (10^6 bytes) per minute.</summary>
    public const double RssSlopeTarget = 2.0;

    /// <summary>Allocation per connection target, as a multiple of the JSON bytes sent to the connection.</summary>
    public const double AllocationRatioTarget = 2.0;

    private SoakAnalysis()
    {
    }

    /// <summary>RSS slope over the last half of the churn phase, MB per minute (least squares).</summary>
    public double RssSlope { get; private init; }

    /// <summary>GC heap (after the last collection) slope over the same window, MB per minute.</summary>
    public double HeapSlope { get; private init; }

    /// <summary>RSS slope over the baseline (no churn clients), MB per minute.</summary>
    public double BaselineRssSlope { get; private init; }

    /// <summary>Managed allocation rate with no churn clients, MB per minute.</summary>
    public double BaselineAllocationRate { get; private init; }

    /// <summary>Managed allocation rate during the churn, MB per minute.</summary>
    public double ChurnAllocationRate { get; private init; }

    /// <summary>Churn connections opened.</summary>
    public long Connections { get; private init; }

    /// <summary>Allocation beyond the baseline rate, per churn connection, bytes.</summary>
    public double AllocationPerConnection { get; private init; }

    /// <summary>JSON bytes sent to a churn connection, on average.</summary>
    public double JsonPerConnection { get; private init; }

    /// <summary>Bytes on the wire (after compression) per churn connection, on average.</summary>
    public double WirePerConnection { get; private init; }

    /// <summary>Largest file descriptor and thread counts seen in the baseline.</summary>
    public (int Fds, int Threads) BaselineMax { get; private init; }

    /// <summary>Most descriptors and threads during the churn.</summary>
    public (int Fds, int Threads) ChurnMax { get; private init; }

    /// <summary>Descriptors and threads at the last sample, after the clients were gone.</summary>
    public (int Fds, int Threads) AfterEnd { get; private init; }

    /// <summary>Open connections and sessions at the last sample.</summary>
    public (long Connections, long Sessions) AfterEndClients { get; private init; }

    /// <summary>One-minute load average: least, mean and most over the run.</summary>
    public (double Min, double Mean, double Max) Load { get; private init; }

    /// <summary>Computes the figures from the samples and the churn clients' totals.</summary>
    public static SoakAnalysis From(IReadOnlyList<SoakSample> samples, long churnConnections, long churnJsonBytes, long churnWireBytes)
    {
        List<SoakSample> baseline = [.. samples.Where(s => s.Phase == "baseline")];
        List<SoakSample> churn = [.. samples.Where(s => s.Phase == "churn")];
        List<SoakSample> after = [.. samples.Where(s => s.Phase == "after")];
        List<SoakSample> lastHalf = churn.Count == 0 ? [] : [.. churn.Where(s => s.Seconds >= (churn[0].Seconds + churn[^1].Seconds) / 2)];
        double baselineRate = Rate(baseline, s => s.AllocatedBytes);
        double churnMinutes = churn.Count < 2 ? 0 : (churn[^1].Seconds - churn[0].Seconds) / 60;
        double churnAllocated = churn.Count < 2 ? 0 : churn[^1].AllocatedBytes - churn[0].AllocatedBytes;
        long connections = Math.Max(1, churnConnections);
        return new SoakAnalysis
        {
            RssSlope = Slope(lastHalf, s => s.RssBytes),
            HeapSlope = Slope(lastHalf, s => s.HeapBytes),
            BaselineRssSlope = Slope(baseline, s => s.RssBytes),
            BaselineAllocationRate = baselineRate / 1e6,
            ChurnAllocationRate = Rate(churn, s => s.AllocatedBytes) / 1e6,
            Connections = churnConnections,
            AllocationPerConnection = (churnAllocated - (baselineRate * churnMinutes)) / connections,
            JsonPerConnection = churnJsonBytes / (double)connections,
            WirePerConnection = churnWireBytes / (double)connections,
            BaselineMax = (baseline.Count == 0 ? 0 : baseline.Max(s => s.FileDescriptors), baseline.Count == 0 ? 0 : baseline.Max(s => s.Threads)),
            ChurnMax = (churn.Count == 0 ? 0 : churn.Max(s => s.FileDescriptors), churn.Count == 0 ? 0 : churn.Max(s => s.Threads)),
            AfterEnd = after.Count == 0 ? (0, 0) : (after[^1].FileDescriptors, after[^1].Threads),
            AfterEndClients = after.Count == 0 ? (0, 0) : (after[^1].OpenConnections, after[^1].Sessions),
            Load = samples.Count == 0 ? (0, 0, 0) : (samples.Min(s => s.LoadAverage), samples.Average(s => s.LoadAverage), samples.Max(s => s.LoadAverage)),
        };
    }

    /// <summary>The three targets, each met or missed with its figure.</summary>
    public IEnumerable<string> Targets()
    {
        yield return Line(RssSlope <= RssSlopeTarget, $"RSS slope over the last half of the churn {RssSlope:F2} MB/min (target <= {RssSlopeTarget:F0} MB/min; GC heap slope {HeapSlope:F2} MB/min; baseline without churn clients {BaselineRssSlope:F2} MB/min)");
        bool back = AfterEnd.Fds <= BaselineMax.Fds && AfterEnd.Threads <= BaselineMax.Threads;
        yield return Line(back, $"fds and threads back to baseline: {AfterEnd.Fds} fds, {AfterEnd.Threads} threads at the end (baseline at most {BaselineMax.Fds} fds, {BaselineMax.Threads} threads; churn peak {ChurnMax.Fds} fds, {ChurnMax.Threads} threads; {AfterEndClients.Connections} connections, {AfterEndClients.Sessions} sessions left)");
        double ratio = JsonPerConnection <= 0 ? double.PositiveInfinity : AllocationPerConnection / JsonPerConnection;
        yield return Line(ratio <= AllocationRatioTarget, $"managed allocation per client connection {Kb(AllocationPerConnection)} against {Kb(JsonPerConnection)} of JSON sent to it = {ratio:F2}x (target <= {AllocationRatioTarget:F0}x; {Kb(WirePerConnection)} on the wire; {Connections} connections; allocation {ChurnAllocationRate:F1} MB/min during the churn, {BaselineAllocationRate:F1} MB/min without churn clients)");
    }

    private static string Line(bool met, string text) => (met ? "MET: " : "MISSED: ") + text;

    private static string Kb(double bytes) => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1024:F1} KiB");

    /// <summary>Least-squares slope of <paramref name="value"/> (bytes) against time, in MB per minute.</summary>
    public static double Slope(IReadOnlyList<SoakSample> samples, Func<SoakSample, long> value)
    {
        if (samples.Count < 2)
        {
            return 0;
        }

        double meanX = samples.Average(s => s.Seconds / 60);
        double meanY = samples.Average(s => value(s) / 1e6);
        double num = 0;
        double den = 0;
        foreach (SoakSample s in samples)
        {
            double dx = (s.Seconds / 60) - meanX;
            num += dx * ((value(s) / 1e6) - meanY);
            den += dx * dx;
        }

        return den == 0 ? 0 : num / den;
    }

    /// <summary>Growth of a counter per minute between the first and the last sample (bytes per minute).</summary>
    private static double Rate(List<SoakSample> samples, Func<SoakSample, long> value)
    {
        if (samples.Count < 2)
        {
            return 0;
        }

        double minutes = (samples[^1].Seconds - samples[0].Seconds) / 60;
        return minutes <= 0 ? 0 : (value(samples[^1]) - value(samples[0])) / minutes;
    }
}
