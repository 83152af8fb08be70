using System.Diagnostics;
using System.Globalization;
using System.Text;
using GatewayProxy.Protocol.Compression;
using GatewayProxy.Simulator;

namespace GatewayProxy.Perf.EndToEnd;

/// <summary>
/// Cache memory at 1k/10k/100k guilds: the proxy child connects to a Simulator with that many (small) guilds; once its
/// cache holds them all, its own estimate (<c>gateway_cache_bytes</c>), its managed heap (<c>gateway_process_heap_bytes</c>)
/// and its resident memory, each above an empty proxy's, are divided by the guild count and compared with the
/// GUILD_CREATE JSON bytes per guild (as sent with every intent). The rings' bytes (<c>gateway_ring_memory_bytes</c>:
/// they hold the GUILD_CREATE burst for <c>session_ttl_seconds</c>, for resumes) are shown apart, and taken out of RSS
/// in the last ratio. With <c>GP_CACHE_GCDUMP</c> set to a folder, <c>dotnet-gcdump</c> (on PATH) then dumps the
/// child's heap there, which forces a full blocking GC, and heap and RSS are read again: the "after full GC" columns.
/// With <c>GP_CACHE_COMPRESS_COLD</c> set to N, the proxy runs with <c>cache.compress_cold_after_seconds</c> N.
/// </summary>
internal static class CacheMemory
{
    /// <summary>Discord allows at most 2,500 guilds per shard; fewer than 4 shards would not be a sharded bot.</summary>
    private const int GuildsPerShard = 2500;
    private const int MinShards = 4;
    private const int MembersPerGuild = 10;

    /// <summary>The heading printed above the table.</summary>
    public static string Heading => string.Create(CultureInfo.InvariantCulture,
        $"Cache memory (max({MinShards}, guilds / {GuildsPerShard:N0}) shards, {MembersPerGuild} members per guild, every cache flag on):");

    /// <summary>Runs the measurement for each guild count and returns a Markdown table (a failed row says why).</summary>
    public static async Task<string> RunAsync(IReadOnlyList<int> guildCounts)
    {
        var b = new StringBuilder();
        b.AppendLine("| guilds | shards | GUILD_CREATE JSON B/guild | cache estimate B/guild | estimate ÷ JSON | heap above empty B/guild | heap ÷ JSON | RSS above empty B/guild | RSS ÷ JSON | rings B/guild | (RSS − rings) ÷ JSON | after full GC: heap ÷ JSON | RSS ÷ JSON | (RSS − rings) ÷ JSON | fill s |");
        b.AppendLine("|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|");
        var empty = await MeasureAsync(0).ConfigureAwait(false);
        foreach (var guilds in guildCounts)
        {
            try
            {
                var m = await MeasureAsync(guilds).ConfigureAwait(false);
                var heap = (m.Heap - empty.Heap) / guilds;
                var rss = (double)(m.Rss - empty.Rss) / guilds;
                var rings = (m.Rings - empty.Rings) / guilds;
                var json = m.JsonPerGuild;
                var gc = m.HeapAfterGc < 0 ? "| – | – | –" : string.Create(CultureInfo.InvariantCulture,
                    $"| {(m.HeapAfterGc - empty.Heap) / guilds / json:N2}× | {(double)(m.RssAfterGc - empty.Rss) / guilds / json:N2}× | {(((double)(m.RssAfterGc - empty.Rss) / guilds) - rings) / json:N2}×");
                b.AppendLine(string.Create(CultureInfo.InvariantCulture,
                    $"| {guilds:N0} | {m.Shards} | {json:N0} | {m.EstimatePerGuild:N0} | {m.EstimatePerGuild / json:N2}× | {heap:N0} | {heap / json:N2}× | {rss:N0} | {rss / json:N2}× | {rings:N0} | {(rss - rings) / json:N2}× {gc} | {m.Fill.TotalSeconds:N1} |"));
            }
            catch (Exception e) when (e is TimeoutException or TaskCanceledException or InvalidOperationException or IOException or HttpRequestException or OutOfMemoryException)
            {
                b.AppendLine(string.Create(CultureInfo.InvariantCulture, $"| {guilds:N0} | FAILED: {e.Message.ReplaceLineEndings(" ")} |||||||||"));
            }
        }

        // The Simulator (every generated guild, held as serialized bytes) lives in this process.
        using var driver = Process.GetCurrentProcess();
        b.AppendLine(string.Create(CultureInfo.InvariantCulture, $"\nDriver (in-process Simulator) peak RSS: {driver.PeakWorkingSet64 / 1048576.0:N0} MiB."));
        return b.ToString();
    }

    private static int ShardsFor(int guilds) => Math.Max(MinShards, (guilds + GuildsPerShard - 1) / GuildsPerShard);

    private static async Task<Measurement> MeasureAsync(int guilds)
    {
        var shards = ShardsFor(guilds);
        await using var simulator = await DiscordSimulator.StartAsync(new SimulatorOptions
        {
            ShardCount = shards,
            GuildCount = guilds,
            MembersPerGuild = MembersPerGuild,
            EventsPerSecond = 0,
            IdentifyInterval = TimeSpan.Zero,
            MaxConcurrency = shards,
            Token = RunSettings.Token,
        }).ConfigureAwait(false);
        long json = 0;
        for (var shard = 0; shard < shards; shard++)
        {
            json += simulator.State.GetGuildJsonBytes(shard);
        }

        // Bounded: a stuck fill fails its row instead of hanging the run (2 min plus 5 ms per guild: 10 min at 100k).
        var fillLimit = TimeSpan.FromSeconds(120 + (guilds * 0.005));
        var deadline = DateTime.UtcNow + fillLimit;
        var clock = Stopwatch.StartNew();
        // GP_CACHE_COMPRESS_COLD=N: the proxy's cache.compress_cold_after_seconds (every flag stays on: omitted flags are true).
        var compress = Environment.GetEnvironmentVariable("GP_CACHE_COMPRESS_COLD") is { Length: > 0 } seconds
            ? $"\"cache\": {{ \"compress_cold_after_seconds\": {int.Parse(seconds, CultureInfo.InvariantCulture)} }},"
            : "";
        await using var proxy = await ProxyTarget.StartAsync(simulator.ApiBaseUrl, RunSettings.Token, RunSettings.Intents, TransportCompression.None, cache: true, fillLimit,
            extraConfig: compress).ConfigureAwait(false);
        while (await proxy.SumMetricAsync("gateway_cache_guilds{").ConfigureAwait(false) < guilds)
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"the proxy's cache did not reach {guilds} guilds within {fillLimit}");
            }

            // Polling a child process's metrics: nothing to await instead.
            await Task.Delay(250).ConfigureAwait(false);
        }

        var fill = clock.Elapsed;
        var estimate = await proxy.SumMetricAsync("gateway_cache_bytes{").ConfigureAwait(false);
        var heap = await proxy.SumMetricAsync("gateway_process_heap_bytes ").ConfigureAwait(false);
        var rings = await proxy.SumMetricAsync("gateway_ring_memory_bytes ").ConfigureAwait(false);
        var rss = proxy.ResidentBytes();
        double heapAfterGc = -1;
        long rssAfterGc = -1;
        if (Environment.GetEnvironmentVariable("GP_CACHE_GCDUMP") is { Length: > 0 } folder)
        {
            await GcDumpAsync(proxy.Child.Id, Path.Combine(folder, string.Create(CultureInfo.InvariantCulture, $"cache-{guilds}.gcdump"))).ConfigureAwait(false);
            heapAfterGc = await proxy.SumMetricAsync("gateway_process_heap_bytes ").ConfigureAwait(false);
            rssAfterGc = proxy.ResidentBytes();
        }

        var perGuild = Math.Max(guilds, 1);
        return new Measurement(shards, (double)json / perGuild, estimate / perGuild, heap, rss, rings, heapAfterGc, rssAfterGc, fill);
    }

    /// <summary>Runs <c>dotnet-gcdump collect</c> on the child (a full blocking GC, then the heap's object graph to <paramref name="file"/>).</summary>
    private static async Task GcDumpAsync(int pid, string file)
    {
        using var dump = Process.Start(new ProcessStartInfo("dotnet-gcdump", ["collect", "-p", pid.ToString(CultureInfo.InvariantCulture), "-o", file])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        }) ?? throw new InvalidOperationException("dotnet-gcdump did not start");
        using var limit = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        _ = await dump.StandardOutput.ReadToEndAsync(limit.Token).ConfigureAwait(false);
        await dump.WaitForExitAsync(limit.Token).ConfigureAwait(false);
        if (dump.ExitCode != 0)
        {
            throw new InvalidOperationException($"dotnet-gcdump exited with {dump.ExitCode}: {await dump.StandardError.ReadToEndAsync(limit.Token).ConfigureAwait(false)}");
        }
    }

    private readonly record struct Measurement(int Shards, double JsonPerGuild, double EstimatePerGuild, double Heap, long Rss, double Rings,
        double HeapAfterGc, long RssAfterGc, TimeSpan Fill);
}
