using System.CommandLine;
using GatewayProxy.Perf.CommandLine;

namespace GatewayProxy.Perf.EndToEnd;

/// <summary>The <c>e2e</c> command: its options, their help, and binding them into <see cref="E2eOptions"/>.</summary>
internal static class E2eCommandLine
{
    /// <summary>Builds the command; invoking it runs <see cref="E2eCommand.RunAsync"/>.</summary>
    public static Command Create()
    {
        var quick = new Option<bool>("--quick") { Description = "CI mode: a few small scenarios with short windows (about a minute)." };
        var scenario = new Option<List<string>>("--scenario")
        {
            Description = "Run only these scenarios (e.g. 4s-64c-zlib); repeat the option or separate names with commas. An unknown name is an error listing the valid ones.",
            CustomParser = OptionParsers.Strings,
            Arity = ArgumentArity.OneOrMore,
            AllowMultipleArgumentsPerToken = false,
        };
        var targets = new Option<List<TargetKind>>("--targets")
        {
            Description = "Targets of the main scenarios, comma-separated: proxy, raw, naive (default: all three).",
            CustomParser = OptionParsers.Enums<TargetKind>,
        };
        var events = new Option<long?>("--events")
        {
            Description = "Delivered live events per run, split over the clients (default 6,000 quick, 100,000 full).",
            CustomParser = OptionParsers.OptionalLong(1),
        };
        var warmup = new Option<long?>("--warmup")
        {
            Description = "Warm-up events per shard before the measured window (default 3,000 quick, 10,000 full).",
            CustomParser = OptionParsers.OptionalLong(0),
        };
        var noScale = new Option<bool>("--no-scale") { Description = "Full mode: skip the shards x clients scale curve." };
        var noCache = new Option<bool>("--no-cache") { Description = "Full mode: skip the cache memory table." };
        var cacheOnly = new Option<bool>("--cache-only") { Description = "Run only the cache memory table." };
        var cacheGuilds = new Option<List<int>>("--cache-guilds")
        {
            Description = "Guild counts of the cache memory table, comma-separated (default 1000,10000,100000).",
            CustomParser = OptionParsers.PositiveInts,
        };

        var command = new Command("e2e", "End-to-end runs: the Simulator, the proxy (and the raw relay and naive proxy baselines) as child processes, verifying clients; prints the tables of perf/README.md. Exits non-zero only on a correctness failure or an allocation budget overrun (perf/budgets.json).")
        {
            quick, scenario, targets, events, warmup, noScale, noCache, cacheOnly, cacheGuilds,
        };
        command.SetAction((result, _) =>
        {
            var options = new E2eOptions
            {
                Quick = result.GetValue(quick),
                Scenarios = result.GetValue(scenario) ?? [],
                Targets = result.GetValue(targets) is { Count: > 0 } t ? t : [TargetKind.Proxy, TargetKind.Raw, TargetKind.Naive],
                Events = result.GetValue(events),
                Warmup = result.GetValue(warmup),
                NoScale = result.GetValue(noScale),
                NoCache = result.GetValue(noCache),
                CacheOnly = result.GetValue(cacheOnly),
                CacheGuilds = result.GetValue(cacheGuilds) is { Count: > 0 } g ? g : [1000, 10_000, 100_000],
            };
            return E2eCommand.RunAsync(options);
        });
        return command;
    }
}
