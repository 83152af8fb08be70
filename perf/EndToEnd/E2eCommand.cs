using System.Diagnostics;
using System.Globalization;
using GatewayProxy.Protocol.Compression;

namespace GatewayProxy.Perf.EndToEnd;

/// <summary>
/// <c>e2e</c>: runs the end-to-end scenarios against the proxy and the baselines, prints the table, and exits non-zero only
/// on a correctness failure or a proxy run allocating more per event than perf/budgets.json allows (never on timing).
/// </summary>
internal static class E2eCommand
{
    private static readonly TransportCompression[] Compressions = [TransportCompression.None, TransportCompression.ZlibStream, TransportCompression.ZstdStream];

    /// <summary>Runs what <paramref name="options"/> ask for; returns the exit code (2 for an unknown scenario).</summary>
    public static async Task<int> RunAsync(E2eOptions options)
    {
        if (UnknownScenarios(options) is { } unknown)
        {
            await Console.Error.WriteLineAsync("e2e: " + unknown).ConfigureAwait(false);
            return 2;
        }

        var budgets = Budgets.Load();
        var clock = Stopwatch.StartNew();
        Console.WriteLine(Invariant($"e2e {(options.Quick ? "quick" : "full")} mode on {Environment.ProcessorCount} cores, load average {LoadAverage()}"));
        var results = new List<RunResult>();
        foreach (var (scenario, targets) in options.CacheOnly || options.BigBot ? [] : Plan(options))
        {
            foreach (var target in targets)
            {
                var result = await ScenarioRunner.RunAsync(scenario, target).ConfigureAwait(false);
                Console.WriteLine(Invariant($"  {scenario.Name} {result.Target}: {(result.Error is null ? $"{result.EventsPerSecond:N0} events/s, p99 {result.P99 / 1000.0:N2} ms, {result.AllocatedPerEvent:N1} B/event" : "FAILED " + result.Error)} ({clock.Elapsed.TotalSeconds:N0} s)"));
                results.Add(result);
            }
        }

        if (results.Count > 0)
        {
            Console.WriteLine();
            Console.WriteLine(ResultTable.Format(results));
        }
        var bigBotFailures = 0;
        if (options.BigBot || (options.Quick && options.Scenarios.Count == 0 && !options.CacheOnly))
        {
            // Failing only on correctness, as the other scenarios: a point skipped for lack of memory is reported, not failed.
            var bots = await BigBot.BigBotCommand.RunAsync(options.BigBotSettings).ConfigureAwait(false);
            foreach (var bot in bots.Where(BigBot.BigBotCommand.IsFailure))
            {
                Console.WriteLine(Invariant($"PERF FAILURE: big bot {bot.Shards} shards: {bot.Phase}: {bot.Error}"));
                bigBotFailures++;
            }
        }

        if (!options.Quick && !options.NoCache && !options.BigBot)
        {
            Console.WriteLine(CacheMemory.Heading);
            Console.WriteLine(await CacheMemory.RunAsync(options.CacheGuilds).ConfigureAwait(false));
        }

        var failures = Check(results, budgets);
        foreach (var failure in failures)
        {
            Console.WriteLine("PERF FAILURE: " + failure);
        }

        Console.WriteLine(Invariant($"e2e: {results.Count} runs, {failures.Count + bigBotFailures} failures, {clock.Elapsed.TotalSeconds:N0} s, load average {LoadAverage()}"));
        return failures.Count + bigBotFailures == 0 ? 0 : 1;
    }

    /// <summary>Null when every <c>--scenario</c> name is in the mode's plan, else a message naming the unknown ones and listing the valid ones.</summary>
    private static string? UnknownScenarios(E2eOptions o)
    {
        var valid = new List<string>();
        foreach (var (scenario, _) in Plan(o, filter: false))
        {
            valid.Add(scenario.Name);
        }

        var unknown = o.Scenarios.FindAll(name => !valid.Contains(name));
        return unknown.Count == 0 ? null
            : $"unknown scenario{(unknown.Count > 1 ? "s" : "")} {string.Join(", ", unknown)}; valid in {(o.Quick ? "quick" : "full")} mode{(o.NoScale ? " with --no-scale" : "")}: {string.Join(", ", valid)}";
    }

    private static List<(Scenario Scenario, List<TargetKind> Targets)> Plan(E2eOptions o, bool filter = true)
    {
        var plan = new List<(Scenario, List<TargetKind>)>();
        var warmup = o.Warmup ?? (o.Quick ? 3000 : 10_000);
        var events = o.Events ?? (o.Quick ? 6000 : 100_000);
        Scenario Make(int shards, int clients, TransportCompression c) =>
            new(shards, clients, c, warmup, Math.Max(100, events / Math.Max(clients, 1)));

        // Latency below saturation: a closed loop at full speed measures mostly the flow window (Little's law).
        Scenario Paced(double rate) => Make(1, 1, TransportCompression.None) with { Rate = rate, MeasuredEvents = (long)Math.Min(events, rate * 4) };
        Scenario NoCache(TransportCompression c) => Make(1, 1, c) with { Cache = false };

        if (o.Quick)
        {
            plan.Add((Make(1, 1, TransportCompression.None), o.Targets));
            plan.Add((NoCache(TransportCompression.None), [TargetKind.Proxy]));
            plan.Add((Make(1, 1, TransportCompression.ZlibStream), [TargetKind.Proxy]));
            plan.Add((Make(1, 1, TransportCompression.ZstdStream), [TargetKind.Proxy]));
            plan.Add((Make(4, 16, TransportCompression.None), [TargetKind.Proxy]));
            plan.Add((Paced(1000), [TargetKind.Proxy, TargetKind.Raw]));
        }
        else
        {
            foreach (var (shards, clients) in new[] { (1, 1), (16, 16), (4, 64) })
            {
                foreach (var c in Compressions)
                {
                    plan.Add((Make(shards, clients, c), o.Targets));
                }
            }

            foreach (var c in Compressions)
            {
                plan.Add((NoCache(c), [TargetKind.Proxy]));
            }

            plan.Add((Paced(1000), o.Targets));
            plan.Add((Paced(5000), [TargetKind.Proxy, TargetKind.Raw]));
            // Virtual shards: the traffic of 16s-16c-none read by one client at n = 1 (proxy only: baselines have no virtual shards).
            plan.Add((Make(16, 16, TransportCompression.None) with { Clients = 1, ClientShards = 1 }, [TargetKind.Proxy]));
            if (!o.NoScale)
            {
                foreach (var shards in new[] { 1, 4, 16 })
                {
                    foreach (var clients in new[] { 1, 4, 16, 64 })
                    {
                        if ((shards, clients) is not ((1, 1) or (16, 16) or (4, 64)))
                        {
                            plan.Add((Make(shards, clients, TransportCompression.None), [TargetKind.Proxy, TargetKind.Raw]));
                        }
                    }
                }
            }
        }

        if (filter && o.Scenarios.Count > 0)
        {
            plan.RemoveAll(p => !o.Scenarios.Contains(p.Item1.Name));
        }

        return plan;
    }

    /// <summary>Correctness failures, and proxy runs over their allocation budget (only where every shard has a client:
    /// with fewer clients than shards, events ingested for client-less shards inflate the per-delivered-event figure).</summary>
    private static List<string> Check(List<RunResult> results, Budgets budgets)
    {
        var failures = new List<string>();
        foreach (var r in results)
        {
            if (r.Error is not null)
            {
                failures.Add(Invariant($"{r.Scenario.Name} {r.Target}: {r.Error}"));
            }
            else if (r.Target == "proxy" && r.Scenario.Clients >= r.Scenario.Shards && r.AllocatedPerEvent > budgets.AllocationPerEvent(r.Scenario))
            {
                failures.Add(Invariant($"{r.Scenario.Name} proxy: allocated {r.AllocatedPerEvent:N1} B per event, budget {budgets.AllocationPerEvent(r.Scenario):N1} (perf/budgets.json)"));
            }
        }

        return failures;
    }

    private static string LoadAverage()
    {
        try
        {
            return string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ')[..3]);
        }
        catch (IOException)
        {
            return "unknown";
        }
    }

    private static string Invariant(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
