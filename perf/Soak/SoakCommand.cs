using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using GatewayProxy.Perf.CommandLine;
using GatewayProxy.Perf.EndToEnd;
using GatewayProxy.Protocol.Compression;
using GatewayProxy.Simulator;

namespace GatewayProxy.Perf.Soak;

/// <summary>
/// <c>dotnet run -c Release --project perf -- soak [--minutes 20] [--shards 16] [--rate 20] [--connect-rate 1] [--out docs/soak]</c>:
/// the real proxy executable as a child process against the in-process Simulator, its rings wrapped and their TTL
/// window full; then a baseline (steady clients only), a churn of clients that connect, identify, resume and leave
/// (with and without a close frame, zlib-stream and zstd-stream), and a tail with the churn gone. Writes soak.csv,
/// soak.md and soak.png and says which of the targets (docs/soak.md) were met.
/// </summary>
internal static class SoakCommand
{
    /// <summary>The <c>soak</c> command; exit code 0 when every target was met, 1 when one was missed, 2 on bad arguments.</summary>
    public static Command Create()
    {
        var minutes = new Option<double>("--minutes") { Description = "Length of the churn in minutes (default 20).", CustomParser = OptionParsers.Double(0.5, 20), DefaultValueFactory = _ => 20 };
        var shards = new Option<int>("--shards") { Description = "Upstream shards (default 16).", CustomParser = OptionParsers.Int(1, 16, 256), DefaultValueFactory = _ => 16 };
        var rate = new Option<double>("--rate") { Description = "Live events per second per shard (default 20).", CustomParser = OptionParsers.Double(0.1, 20), DefaultValueFactory = _ => 20 };
        var connectRate = new Option<double>("--connect-rate") { Description = "Churn connections per second, all workers together (default 1).", CustomParser = OptionParsers.Double(0.05, 1), DefaultValueFactory = _ => 1 };
        var workers = new Option<int>("--workers") { Description = "Churn workers (default 4).", CustomParser = OptionParsers.Int(1, 4, 64), DefaultValueFactory = _ => 4 };
        var ringSize = new Option<int>("--ring-size") { Description = "ring_size of the proxy (default 1024, so the rings wrap).", CustomParser = OptionParsers.Int(16, 1024, 1 << 20), DefaultValueFactory = _ => 1024 };
        var ttl = new Option<int>("--ttl") { Description = "session_ttl_seconds of the proxy (default 60).", CustomParser = OptionParsers.Int(1, 60, 3600), DefaultValueFactory = _ => 60 };
        var baseline = new Option<double>("--baseline-minutes") { Description = "Minutes with steady clients only, before the churn (default 3).", CustomParser = OptionParsers.Double(0.5, 3), DefaultValueFactory = _ => 3 };
        var after = new Option<double>("--after-minutes") { Description = "Minutes after the churn, its clients gone (default 3; longer than the TTL).", CustomParser = OptionParsers.Double(0.5, 3), DefaultValueFactory = _ => 3 };
        var sampleSeconds = new Option<int>("--sample-seconds") { Description = "Seconds between two samples (default 10).", CustomParser = OptionParsers.Int(1, 10), DefaultValueFactory = _ => 10 };
        var output = new Option<string>("--out") { Description = "Folder for soak.csv, soak.md and soak.png (default docs/soak).", DefaultValueFactory = _ => Path.Combine("docs", "soak") };
        var command = new Command("soak", "Churn soak: the proxy executable against the Simulator, rings wrapped, clients connecting, resuming and dropping; RSS and heap slope, fds and threads, allocation per connection, GC pauses (docs/soak.md).")
        {
            minutes, shards, rate, connectRate, workers, ringSize, ttl, baseline, after, sampleSeconds, output,
        };
        command.SetAction((result, _) =>
        {
            string line = "dotnet run -c Release --project perf -- soak " + string.Join(' ', result.Tokens.Skip(1).Select(t => t.Value));
            var settings = new Settings(
                TimeSpan.FromMinutes(result.GetValue(minutes)), result.GetValue(shards), result.GetValue(rate), result.GetValue(connectRate),
                result.GetValue(workers), result.GetValue(ringSize), result.GetValue(ttl), TimeSpan.FromMinutes(result.GetValue(baseline)),
                TimeSpan.FromMinutes(result.GetValue(after)), TimeSpan.FromSeconds(result.GetValue(sampleSeconds)), result.GetValue(output)!, line.TrimEnd());
            return RunAsync(settings);
        });
        return command;
    }

    private sealed record Settings(TimeSpan Churn, int Shards, double Rate, double ConnectRate, int Workers, int RingSize, int Ttl, TimeSpan Baseline,
        TimeSpan After, TimeSpan Every, string Output, string Command);

    private static async Task<int> RunAsync(Settings s)
    {
        await using DiscordSimulator simulator = await DiscordSimulator.StartAsync(new SimulatorOptions
        {
            ShardCount = s.Shards,
            GuildCount = s.Shards * 8,
            MembersPerGuild = 30,
            MaxConcurrency = s.Shards,
            EventsPerSecond = 0,
            IdentifyInterval = TimeSpan.Zero,
            // The simulator's own records (sends, replay buffers for resume) must not grow in a soak.
            RecordLimit = 5000,
            ReplayBufferSize = 2000,
            SteadyState = true, // creates outweigh deletes by default: the guilds (and so the proxy's cache) would grow all run
        });
        await using ProxyTarget proxy = await ProxyTarget.StartAsync(simulator.ApiBaseUrl, simulator.Options.Token, 33539, TransportCompression.ZlibStream, cache: true,
            ringSize: s.RingSize, extraConfig: $"\"session_ttl_seconds\": {s.Ttl},", environment: new Dictionary<string, string> { ["GATEWAYPROXY_PERF_CONTROL"] = "1" });
        simulator.SetRate(s.Rate);

        var url = new Uri($"ws://127.0.0.1:{proxy.ClientUrl.Port}/?v=10&encoding=json");
        var workload = new SoakWorkload(url, simulator.Options.Token, s.Shards, TimeSpan.FromSeconds(s.Ttl));
        using var stopSteady = new CancellationTokenSource();
        var steady = new List<Task>();
        for (int shard = 0; shard < s.Shards; shard++)
        {
            steady.Add(workload.RunSteadyAsync(shard, stopSteady.Token));
        }

        Console.WriteLine($"soak: {s.Shards} shards x {s.Rate} events/s, ring_size {s.RingSize}, TTL {s.Ttl} s; churn {s.Churn.TotalMinutes} min at {s.ConnectRate} connections/s ({s.Workers} workers)");
        Console.WriteLine(SoakSample.CsvHeader);
        var samples = new List<SoakSample>();
        var clock = Stopwatch.StartNew();

        // Warm-up: every ring wraps (ring_size events) and holds a full TTL window before anything is measured.
        TimeSpan warmup = TimeSpan.FromSeconds(Math.Max(s.Ttl, s.RingSize / s.Rate) + 15);
        await SampleForAsync("warmup", warmup, s, proxy, workload, samples, clock, CancellationToken.None);
        string gcAfterBaseline;
        await SampleForAsync("baseline", s.Baseline, s, proxy, workload, samples, clock, CancellationToken.None);
        gcAfterBaseline = await proxy.ControlAsync("gc", TimeSpan.FromMinutes(2));
        await proxy.ControlAsync("gcpauses", TimeSpan.FromMinutes(1));

        using (var stopChurn = new CancellationTokenSource(s.Churn))
        {
            var churn = new List<Task>();
            TimeSpan pace = TimeSpan.FromSeconds(s.Workers / s.ConnectRate);
            for (int i = 0; i < s.Workers; i++)
            {
                churn.Add(workload.RunChurnAsync(seed: 1000 + i, pace, stopChurn.Token));
            }

            await SampleForAsync("churn", s.Churn, s, proxy, workload, samples, clock, stopChurn.Token);
            await Task.WhenAll(churn);
        }

        string pauses = await proxy.ControlAsync("gcpauses", TimeSpan.FromMinutes(1));
        await SampleForAsync("after", s.After, s, proxy, workload, samples, clock, CancellationToken.None);
        string gcAtEnd = await proxy.ControlAsync("gc", TimeSpan.FromMinutes(2));
        await stopSteady.CancelAsync();
        await Task.WhenAll(steady);
        simulator.SetRate(0);

        var analysis = SoakAnalysis.From(samples, workload.Connections, workload.JsonBytes, workload.WireBytes);
        long eventsPerShard = samples.Count == 0 ? 0 : samples.First(x => x.Phase == "baseline").ShardEvents / s.Shards;
        string[] lines =
        [
            "Machine: " + SoakReport.Machine() + string.Create(CultureInfo.InvariantCulture, $"; load average (1 min) {analysis.Load.Min:F1} to {analysis.Load.Max:F1}, mean {analysis.Load.Mean:F1} (the box is shared)"),
            string.Create(CultureInfo.InvariantCulture, $"Workload: {s.Shards} shards x 8 guilds x 30 members, {s.Rate} events/s per shard (upstream zlib-stream), ring_size {s.RingSize}, session_ttl_seconds {s.Ttl}; {eventsPerShard} events per shard received before the baseline (rings wrapped: {eventsPerShard > s.RingSize}); 1 steady client per shard all run ({workload.SteadyEvents} events read, {workload.SteadyReconnects} reconnects)."),
            string.Create(CultureInfo.InvariantCulture, $"Phases: warm-up {warmup.TotalMinutes:F1} min, baseline {s.Baseline.TotalMinutes} min (steady clients only), churn {s.Churn.TotalMinutes} min, after {s.After.TotalMinutes} min (churn gone)."),
            string.Create(CultureInfo.InvariantCulture, $"Churn: {workload.Connections} connections ({workload.ConnectionsBy(TransportCompression.None)} plain, {workload.ConnectionsBy(TransportCompression.ZlibStream)} zlib-stream, {workload.ConnectionsBy(TransportCompression.ZstdStream)} zstd-stream), {workload.Actions} actions, {workload.Resumed} resumes, {workload.Closed} left with a close frame, {workload.Dropped} dropped TCP, {workload.Failures} ended by an error or a cut."),
            "GC pauses during the churn (runtime GC events, suspension to restart): " + pauses["perf gcpauses ".Length..],
            "Live heap after a forced full GC: " + gcAfterBaseline["perf gc ".Length..] + " at the end of the baseline, " + gcAtEnd["perf gc ".Length..] + " at the end.",
        ];
        SoakReport.Write(s.Output, samples, s.Command, lines, analysis);
        foreach (string line in lines)
        {
            Console.WriteLine(line);
        }

        bool allMet = true;
        foreach (string target in analysis.Targets())
        {
            Console.WriteLine(target);
            allMet &= target.StartsWith("MET", StringComparison.Ordinal);
        }

        return allMet ? 0 : 1;
    }

    private static async Task SampleForAsync(string phase, TimeSpan duration, Settings s, ProxyTarget proxy, SoakWorkload workload, List<SoakSample> samples,
        Stopwatch clock, CancellationToken ct)
    {
        TimeSpan end = clock.Elapsed + duration;
        using var timer = new PeriodicTimer(s.Every);
        while (true)
        {
            SoakSample sample = await SoakSample.TakeAsync(clock.Elapsed.TotalSeconds, phase, proxy, workload);
            samples.Add(sample);
            Console.WriteLine(sample.ToCsv());
            if (clock.Elapsed >= end || ct.IsCancellationRequested || !await WaitAsync(timer, ct))
            {
                return;
            }
        }
    }

    private static async Task<bool> WaitAsync(PeriodicTimer timer, CancellationToken ct)
    {
        try
        {
            return await timer.WaitForNextTickAsync(ct);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }
}
