using System.Globalization;
using System.Text;

namespace GatewayProxy.Perf.EndToEnd;

/// <summary>Formats run results as a Markdown table, each proxy row with its ratios to the baselines of the same scenario.</summary>
internal static class ResultTable
{
    /// <summary>The table for <paramref name="results"/>, in order.</summary>
    public static string Format(IReadOnlyList<RunResult> results)
    {
        var b = new StringBuilder();
        b.AppendLine("| scenario | target | events/s | MB/s | p50 ms | p99 ms | p99.9 ms | CPU s/M ev | alloc B/ev | GC 0/1/2 | peak RSS MB | ev/s ÷ raw | ev/s ÷ naive | p99 ÷ raw |");
        b.AppendLine("|---|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|");
        foreach (var r in results)
        {
            if (r.Error is not null)
            {
                b.AppendLine(Invariant($"| {r.Scenario.Name} | {r.Target} | FAILED: {r.Error.ReplaceLineEndings(" ")} |||||||||||||"));
                continue;
            }

            var raw = Find(results, r.Scenario, "raw");
            var naive = Find(results, r.Scenario, "naive");
            var isBaseline = r.Target != "proxy";
            b.AppendLine(Invariant(
                $"| {r.Scenario.Name} | {r.Target} | {r.EventsPerSecond:N0} | {r.MegabytesPerSecond:N1} | {r.P50 / 1000.0:N2} | {r.P99 / 1000.0:N2} | {r.P999 / 1000.0:N2} | {r.CpuPerMillion:N1} | {r.AllocatedPerEvent:N1} | {r.Stats.Gen0}/{r.Stats.Gen1}/{r.Stats.Gen2} | {r.Stats.PeakWorkingSet / 1e6:N0} | {Ratio(isBaseline, raw?.EventsPerSecond, r.EventsPerSecond)} | {Ratio(isBaseline, naive?.EventsPerSecond, r.EventsPerSecond)} | {Ratio(isBaseline, raw?.P99, r.P99)} |"));
        }

        return b.ToString();
    }

    private static RunResult? Find(IReadOnlyList<RunResult> results, Scenario scenario, string target)
    {
        foreach (var r in results)
        {
            if (r.Target == target && r.Error is null && r.Scenario.Name == scenario.Name)
            {
                return r;
            }
        }

        return null;
    }

    private static string Ratio(bool isBaseline, double? baseline, double value) =>
        isBaseline || baseline is not > 0 ? "" : Invariant($"{value / baseline.Value:N2}×");

    private static string Invariant(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
