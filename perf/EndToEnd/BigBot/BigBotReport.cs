using System.Globalization;
using System.Text;
using GatewayProxy.Simulator.Data;

namespace GatewayProxy.Perf.EndToEnd.BigBot;

/// <summary>The big-bot tables (Markdown), the curve's CSV, and its PNG (drawn by perf/EndToEnd/BigBot/plot_big_bot.gp with gnuplot).</summary>
internal static class BigBotReport
{
    private const double MiB = 1048576.0;

    /// <summary>The world, the load and the two tables for <paramref name="results"/>.</summary>
    public static string Format(BigBotOptions o, IReadOnlyList<BigBotResult> results)
    {
        var b = new StringBuilder();
        b.AppendLine(Invariant($"Big bot: {o.GuildsPerShard} guilds per shard (size mix), mean {o.MeanRate:0.#} events/s per shard (2% of shards busy at 100–500, the rest 1–10, scaled to the mean; idle 2–10 s between active 10–40 s; an outage burst of 3 guilds per pool cycle), identify interval {o.IdentifyIntervalMs} ms, max_concurrency {o.MaxConcurrency}, ring_size {o.RingSize}, intents without GUILD_PRESENCES, upstream uncompressed, default cache flags."));
        if (results.FirstOrDefault(r => r.Mix.Count > 0) is { } withMix)
        {
            b.AppendLine(MixLine(withMix));
        }

        b.AppendLine();
        b.AppendLine("| shards | guilds | ready s | floor s | ready ÷ floor | proxy CPU to ready s | log lines to ready | upstream reconnects to ready | CPU s / M upstream ev | cores | upstream ev/s | GC pauses | GC total ms | GC max ms | gen2 | alloc B / upstream ev | verified ev (bytes / order) | churn actions (resumes, failed) | churn RSS MiB first → max → last | churn fds first → max → last | result |");
        b.AppendLine("|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|---|");
        foreach (var r in results)
        {
            var cpuPerM = r.WindowEvents == 0 ? 0 : r.WindowCpuSeconds / r.WindowEvents * 1e6;
            var cores = r.WindowSeconds == 0 ? 0 : r.WindowCpuSeconds / r.WindowSeconds;
            b.AppendLine(Invariant(
                $"| {r.Shards:N0} | {r.Guilds:N0} | {r.ReadySeconds:N1} | {r.FloorSeconds:N1} | {Ratio(r.ReadySeconds, r.FloorSeconds)} | {r.ReadyCpuSeconds:N1} | {r.ReadyLogLines:N0} | {r.ReadyReconnects:N0} | {cpuPerM:N1} | {cores:N2} | {(r.WindowSeconds == 0 ? 0 : r.WindowEvents / r.WindowSeconds):N0} | {r.GcPauses} | {r.GcTotalMs:N1} | {r.GcMaxMs:N1} | {r.Gen2} | {(r.WindowEvents == 0 ? 0 : (double)r.WindowAllocated / r.WindowEvents):N0} | {r.VerifiedEvents:N0} / {r.OrderCheckedEvents:N0} | {r.ChurnActions} ({r.ChurnResumes}, {r.ChurnFailures}) | {r.ChurnRss.First / MiB:N0} → {r.ChurnRss.Max / MiB:N0} → {r.ChurnRss.Last / MiB:N0} | {r.ChurnFds.First} → {r.ChurnFds.Max} → {r.ChurnFds.Last} | {Outcome(r)} |"));
        }

        b.AppendLine();
        b.AppendLine("| shards | RSS at ready MiB | RSS, clients connected MiB | RSS / shard MiB | rings MiB | cache estimate MiB | client compression MiB | runtime baseline MiB | rest MiB | heap MiB | heap after GC MiB | RSS after GC MiB | RSS after GC / shard MiB | JSON B / guild | cache est. ÷ JSON | (heap − rings) ÷ JSON | same after GC | (RSS − baseline − rings) ÷ JSON | same after GC | driver peak RSS MiB |");
        b.AppendLine("|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|");
        foreach (var r in results.Where(r => r.Rss > 0))
        {
            var json = r.JsonPerGuild * r.Guilds;
            var rest = r.Rss - r.RingBytes - r.CacheBytes - r.ClientCompressionBytes - r.RuntimeBaseline;
            b.AppendLine(Invariant(
                $"| {r.Shards:N0} | {r.RssReady / MiB:N0} | {r.Rss / MiB:N0} | {r.Rss / MiB / r.Shards:N2} | {r.RingBytes / MiB:N0} | {r.CacheBytes / MiB:N0} | {r.ClientCompressionBytes / MiB:N0} | {r.RuntimeBaseline / MiB:N0} | {rest / MiB:N0} | {r.Heap / MiB:N0} | {r.HeapAfterGc / MiB:N0} | {r.RssAfterGc / MiB:N0} | {r.RssAfterGc / MiB / r.Shards:N2} | {r.JsonPerGuild:N0} | {Ratio(r.CacheBytes, json)} | {Ratio(r.Heap - r.RingBytes, json)} | {Ratio(r.HeapAfterGc - r.RingBytes, json)} | {Ratio(r.Rss - r.RuntimeBaseline - r.RingBytes, json)} | {Ratio(r.RssAfterGc - r.RuntimeBaseline - r.RingBytes, json)} | {r.DriverPeakRss / MiB:N0} |"));
        }

        return b.ToString();
    }

    /// <summary>Writes big-bot.csv and, when gnuplot is installed, big-bot.png into <paramref name="directory"/>; returns what was written.</summary>
    public static string WriteCurve(string directory, IReadOnlyList<BigBotResult> results)
    {
        Directory.CreateDirectory(directory);
        var csv = Path.Combine(directory, "big-bot.csv");
        var lines = new List<string> { "shards,rss_mib_per_shard,rss_after_gc_mib_per_shard,heap_after_gc_mib_per_shard,cpu_ms_per_shard_per_s,cpu_s_per_m_events" };
        foreach (var r in results.Where(r => r.Error is null))
        {
            var cores = r.WindowSeconds == 0 ? 0 : r.WindowCpuSeconds / r.WindowSeconds;
            lines.Add(Invariant($"{r.Shards},{r.Rss / MiB / r.Shards:F3},{r.RssAfterGc / MiB / r.Shards:F3},{r.HeapAfterGc / MiB / r.Shards:F3},{cores * 1000 / r.Shards:F4},{(r.WindowEvents == 0 ? 0 : r.WindowCpuSeconds / r.WindowEvents * 1e6):F2}"));
        }

        File.WriteAllLines(csv, lines);
        var png = Path.Combine(directory, "big-bot.png");
        var script = Path.Combine(AppContext.BaseDirectory, "EndToEnd", "BigBot", "plot_big_bot.gp");
        try
        {
            using var gnuplot = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("gnuplot")
            {
                ArgumentList = { "-e", $"csv='{csv}'; png='{png}'", script },
                RedirectStandardError = true,
            });
            if (gnuplot is null || !gnuplot.WaitForExit(60_000) || gnuplot.ExitCode != 0)
            {
                return $"{csv} (gnuplot failed: {gnuplot?.StandardError.ReadToEnd()})";
            }
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return $"{csv} (no gnuplot: apt-get install gnuplot-nox, then plot with perf/EndToEnd/BigBot/plot_big_bot.gp)";
        }

        return $"{csv}, {png}";
    }

    private static string MixLine(BigBotResult r)
    {
        var parts = new List<string>();
        foreach (var (size, (guilds, members)) in r.Mix)
        {
            var range = size switch
            {
                GuildSize.Small => "10–100 members",
                GuildSize.Large => "251–1,000 members",
                GuildSize.Huge => "1,000–5,000 members, 100–400 text channels, 100–250 roles",
                _ => "fixed size",
            };
            parts.Add(Invariant($"{guilds:N0} {size.ToString().ToLowerInvariant()} ({range}; mean {(double)members / Math.Max(guilds, 1):N0} members)"));
        }

        return Invariant($"Guild size mix at {r.Shards:N0} shards: {string.Join(", ", parts)}; GUILD_CREATE as the proxy receives it (no presences): {r.JsonPerGuild:N0} B mean.");
    }

    private static string Outcome(BigBotResult r) => r.Error is null ? "pass" : Invariant($"FAILED in {r.Phase}: {r.Error}").Replace("|", "/", StringComparison.Ordinal);

    private static string Ratio(double value, double of) => of <= 0 ? "" : Invariant($"{value / of:N2}×");

    private static string Invariant(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
