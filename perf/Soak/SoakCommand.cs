using System.CommandLine;
using System.Diagnostics;
using GatewayProxy.Perf.CommandLine;
using System.Globalization;
using GatewayProxy.Host;
using GatewayProxy.Host.Configuration;
using GatewayProxy.Host.Logging;
using GatewayProxy.Simulator;

namespace GatewayProxy.Perf.Soak;

/// <summary>
/// <c>dotnet run -c Release --project perf -- soak [--minutes 10] [--sample-seconds 10] [--rate 200] [--churn 3] [--out docs/soak]</c>:
/// the Simulator and the proxy in this process, steady events plus client churn for a bounded time, memory sampled
/// throughout; writes soak.csv, soak.md and soak.png and says whether memory stayed flat after warm-up.
/// </summary>
internal static class SoakCommand
{
    /// <summary>The <c>soak</c> command; exit code 0 when memory stayed flat, 1 when it grew, 2 on bad arguments.</summary>
    public static Command Create()
    {
        var minutes = new Option<double>("--minutes") { Description = "Length of the run in minutes (default 10).", CustomParser = OptionParsers.Double(0.01, 10) };
        var sampleSeconds = new Option<int>("--sample-seconds") { Description = "Seconds between two samples, each forcing a full GC (default 10).", CustomParser = OptionParsers.Int(1, 10) };
        var rate = new Option<double>("--rate") { Description = "Live events per second per shard (default 200).", CustomParser = OptionParsers.Double(0.001, 200) };
        var churn = new Option<int>("--churn") { Description = "Churn workers: connect, drop, resume, stall (default 3).", CustomParser = OptionParsers.Int(0, 3) };
        var output = new Option<string>("--out") { Description = "Folder for soak.csv, soak.md and soak.png (default docs/soak).", DefaultValueFactory = _ => Path.Combine("docs", "soak") };
        var command = new Command("soak", "Bounded memory soak: the Simulator and the proxy in this process, steady events plus client churn, memory sampled; writes soak.csv, soak.md and soak.png (docs/soak.md).")
        {
            minutes, sampleSeconds, rate, churn, output,
        };
        command.SetAction((result, _) =>
        {
            var words = new List<string>();
            foreach (var token in result.Tokens)
            {
                words.Add(token.Value);
            }

            string line = "dotnet run -c Release --project perf -- soak " + string.Join(' ', words.Skip(1));
            return RunAsync(TimeSpan.FromMinutes(result.GetValue(minutes)), TimeSpan.FromSeconds(result.GetValue(sampleSeconds)), result.GetValue(rate),
                result.GetValue(churn), result.GetValue(output)!, line.TrimEnd());
        });
        return command;
    }

    private static async Task<int> RunAsync(TimeSpan duration, TimeSpan every, double rate, int churn, string output, string command)
    {
        const int Shards = 2;
        await using DiscordSimulator simulator = await DiscordSimulator.StartAsync(new SimulatorOptions
        {
            ShardCount = Shards,
            GuildCount = 20,
            MembersPerGuild = 30,
            EventsPerSecond = 0,
            IdentifyInterval = TimeSpan.Zero,
            // The simulator's own records (sends, replay buffers for resume) must not grow in a soak and pass for the proxy's memory.
            RecordLimit = 5000,
            ReplayBufferSize = 2000,
            SteadyState = true, // creates outweigh deletes by default: the guilds (and so the proxy's cache) would grow all run
        });
        string json = $$"""
            {
              "token": "{{simulator.Options.Token}}", "intents": 33539, "bind": "127.0.0.1", "port": 7878, "log_level": "warn",
              "upstream": { "api_base_url": "{{simulator.ApiBaseUrl.ToString().TrimEnd('/')}}", "compression": "zlib-stream" }
            }
            """;
        ProxyConfig config = ConfigLoader.LoadFromJson(json, "soak-config.json", _ => null) with { Port = 0 };
        var log = new ProxyLog(TextWriter.Null, Console.Error, ProxyLogLevel.Warn);
        await using ProxyHost proxy = await ProxyHost.StartAsync(
            config,
            log,
            tuneIngress: o =>
            {
                o.IdentifyInterval = TimeSpan.FromMilliseconds(50);
                o.IdentifyMargin = TimeSpan.FromMilliseconds(5);
            },
            tuneEgress: o =>
            {
                // Short deadlines so stalled and vanished clients are reaped many times within the run.
                o.HeartbeatIntervalMs = 5000;
                o.SessionTtl = TimeSpan.FromSeconds(20);
            });
        using (var ready = new CancellationTokenSource(TimeSpan.FromMinutes(2)))
        {
            while (!proxy.Shards.Shards.All(s => s.IsReady))
            {
                await Task.Delay(50, ready.Token);
            }
        }

        simulator.SetRate(rate);
        var url = new Uri($"ws://127.0.0.1:{proxy.LocalEndPoint.Port}/?v=10&encoding=json");
        var workload = new SoakWorkload(url, simulator.Options.Token, Shards);
        using var stop = new CancellationTokenSource(duration);
        var tasks = new List<Task>();
        for (int shard = 0; shard < Shards; shard++)
        {
            tasks.Add(workload.RunSteadyAsync(shard, stop.Token));
        }

        for (int i = 0; i < churn; i++)
        {
            tasks.Add(workload.RunChurnAsync(seed: 1000 + i, stop.Token));
        }

        Console.WriteLine($"soak: {duration.TotalMinutes} min, {rate} events/s per shard, {churn} churn workers, sample every {every.TotalSeconds} s");
        Console.WriteLine(SoakSample.CsvHeader);
        var samples = new List<SoakSample>();
        var clock = Stopwatch.StartNew();
        using var timer = new PeriodicTimer(every);
        do
        {
            SoakSample sample = SoakSample.Take(clock, proxy, workload, samples.Count);
            samples.Add(sample);
            Console.WriteLine(sample.ToCsv());
        }
        while (await WaitAsync(timer, stop.Token));

        await Task.WhenAll(tasks);
        simulator.SetRate(0);
        string summary = string.Create(
            CultureInfo.InvariantCulture,
            $"Workload: {Shards} shards × 20 guilds, {rate} events/s per shard, 1 steady client per shard (heartbeating), {churn} churn workers (identify+close, identify+drop, resume, stall 5–20 s: past the 12.5 s heartbeat deadline about half the time, leave before identify); proxy heartbeat 5 s, session TTL 20 s. Result: {workload.SteadyEvents} events read by steady clients ({workload.SteadyReconnects} steady reconnects), {workload.Actions} churn actions ({workload.Resumed} resumes, {workload.Failures} ended by the proxy cutting the client or a limit). Process-wide figures: proxy, simulator and clients share the process.");
        string verdict = SoakReport.Write(output, samples, command, summary);
        Console.WriteLine(summary);
        Console.WriteLine(verdict);
        return verdict.Contains("FLAT", StringComparison.Ordinal) ? 0 : 1;
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
