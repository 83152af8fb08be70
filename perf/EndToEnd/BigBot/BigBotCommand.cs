using System.Globalization;

namespace GatewayProxy.Perf.EndToEnd.BigBot;

/// <summary>
/// <c>e2e --big-bot</c>: the curve of big-bot runs (or the CI-sized one), each point skipped with its reason when the box
/// has too little free memory for it, then the tables and, for a curve, the CSV and PNG.
/// </summary>
internal static class BigBotCommand
{
    /// <summary>Left free for everything else on a shared box (other builds, the page cache).</summary>
    private const long MemoryMargin = 3L << 30;

    /// <summary>Runs every point; returns the results (failed and skipped ones included, with their reason).</summary>
    public static async Task<List<BigBotResult>> RunAsync(BigBotOptions options)
    {
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"big bot: shards {string.Join(", ", options.ShardCounts)} × {options.GuildsPerShard} guilds, ring_size {options.RingSize}"));
        var baseline = await BigBotRunner.MeasureRuntimeBaselineAsync(options).ConfigureAwait(false);
        var results = new List<BigBotResult>();
        foreach (var shards in options.ShardCounts)
        {
            var need = EstimatedBytes(options, shards);
            var available = AvailableBytes();
            if (available > 0 && need > available - MemoryMargin)
            {
                var skipped = new BigBotResult { Shards = shards, Guilds = shards * options.GuildsPerShard, Phase = "not run" };
                skipped.Error = string.Create(CultureInfo.InvariantCulture,
                    $"not run: needs about {need / 1073741824.0:N1} GiB (rings {BigBotRunner.RingBytes(shards, options.RingSize) / 1073741824.0:N1} GiB preallocated at ring_size {options.RingSize}), {available / 1073741824.0:N1} GiB available, {MemoryMargin >> 30} GiB kept free");
                Console.WriteLine($"  {shards} shards: {skipped.Error}");
                results.Add(skipped);
                continue;
            }

            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {shards} shards ({shards * options.GuildsPerShard:N0} guilds):"));
            var result = await BigBotRunner.RunAsync(options, shards, baseline, Console.WriteLine).ConfigureAwait(false);
            if (result.Error is not null)
            {
                Console.WriteLine($"    FAILED in {result.Phase}: {result.Error}");
            }

            results.Add(result);
        }

        Console.WriteLine();
        Console.WriteLine(BigBotReport.Format(options, results));
        if (options.OutputDirectory is { } directory && results.Any(r => r.Error is null))
        {
            Console.WriteLine("curve: " + BigBotReport.WriteCurve(directory, results));
        }

        return results;
    }

    /// <summary>A failure that is about correctness or a crash, as opposed to a point skipped for lack of memory.</summary>
    public static bool IsFailure(BigBotResult r) => r.Error is not null && r.Phase != "not run";

    /// <summary>Rough need of one point, proxy and driver: the rings, plus ~2 MiB per shard and ~56 KiB per guild (measured at 64 shards).</summary>
    private static long EstimatedBytes(BigBotOptions o, int shards) =>
        BigBotRunner.RingBytes(shards, o.RingSize) + (shards * (2L << 20)) + ((long)shards * o.GuildsPerShard * 56 * 1024);

    private static long AvailableBytes()
    {
        try
        {
            foreach (var line in File.ReadLines("/proc/meminfo"))
            {
                if (line.StartsWith("MemAvailable:", StringComparison.Ordinal))
                {
                    return long.Parse(line["MemAvailable:".Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture) * 1024;
                }
            }
        }
        catch (IOException)
        {
        }

        return 0;
    }
}
