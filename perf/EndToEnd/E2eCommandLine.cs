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

        var bigBot = new Option<bool>("--big-bot") { Description = "Run only the big-bot curve (perf/README.md, \"Big bot\"); with --quick only its CI-sized run (64 shards, 16,000 guilds). --quick alone runs it after the quick scenarios." };
        var bigBotShards = new Option<List<int>>("--big-bot-shards") { Description = "Shard counts of the curve, comma-separated (default 100,250,500,1000; quick 64).", CustomParser = OptionParsers.PositiveInts };
        var guildsPerShard = new Option<int>("--guilds-per-shard") { Description = "Guilds per shard (default 250).", CustomParser = OptionParsers.Int(1, 250, max: 2500) };
        var meanRate = new Option<double>("--mean-rate") { Description = "Mean live events per second per shard (default 10).", CustomParser = OptionParsers.Double(0.01, 10) };
        var identifyInterval = new Option<int>("--identify-interval-ms") { Description = "The Simulator's identify interval per bucket, ms (default 100).", CustomParser = OptionParsers.Int(0, 100) };
        var maxConcurrency = new Option<int>("--max-concurrency") { Description = "max_concurrency: identify buckets (default 16).", CustomParser = OptionParsers.Int(1, 16) };
        var ringSize = new Option<int>("--ring-size") { Description = "The proxy's ring_size and backpressure in the big-bot runs (default 4096).", CustomParser = OptionParsers.Int(16, RunSettings.RingSize) };
        var sampleShards = new Option<int>("--sample-shards") { Description = "Shards whose client checks every event's bytes (default 32; quick 8).", CustomParser = OptionParsers.Int(1, 32) };
        var window = new Option<int>("--window-seconds") { Description = "Measured window of live load per point (default 60; quick 10).", CustomParser = OptionParsers.Int(1, 60) };
        var churn = new Option<int>("--churn-seconds") { Description = "Churn phase per point (default 60; quick 5).", CustomParser = OptionParsers.Int(1, 60) };
        var output = new Option<string>("--out") { Description = "Folder for the curve's big-bot.csv and big-bot.png (default perf).", DefaultValueFactory = _ => "perf" };

        var command = new Command("e2e", "End-to-end runs: the Simulator, the proxy (and the raw relay and naive proxy baselines) as child processes, verifying clients; prints the tables of perf/README.md. Exits non-zero only on a correctness failure or an allocation budget overrun (perf/budgets.json).")
        {
            quick, scenario, targets, events, warmup, noScale, noCache, cacheOnly, cacheGuilds,
            bigBot, bigBotShards, guildsPerShard, meanRate, identifyInterval, maxConcurrency, ringSize, sampleShards, window, churn, output,
        };
        command.SetAction((result, _) =>
        {
            var isQuick = result.GetValue(quick);
            var bot = isQuick ? BigBot.BigBotOptions.Quick : new BigBot.BigBotOptions();
            T Given<T>(Option<T> option, T fallback) => result.GetResult(option) is { Tokens.Count: > 0 } ? result.GetValue(option)! : fallback;
            bot = bot with
            {
                ShardCounts = result.GetValue(bigBotShards) is { Count: > 0 } counts ? counts : bot.ShardCounts,
                GuildsPerShard = Given(guildsPerShard, bot.GuildsPerShard),
                MeanRate = Given(meanRate, bot.MeanRate),
                IdentifyIntervalMs = Given(identifyInterval, bot.IdentifyIntervalMs),
                MaxConcurrency = Given(maxConcurrency, bot.MaxConcurrency),
                RingSize = Given(ringSize, bot.RingSize),
                SampleShards = Given(sampleShards, bot.SampleShards),
                Window = result.GetResult(window) is { Tokens.Count: > 0 } ? TimeSpan.FromSeconds(result.GetValue(window)) : bot.Window,
                Churn = result.GetResult(churn) is { Tokens.Count: > 0 } ? TimeSpan.FromSeconds(result.GetValue(churn)) : bot.Churn,
                OutputDirectory = isQuick ? null : result.GetValue(output),
            };
            var options = new E2eOptions
            {
                BigBot = result.GetValue(bigBot),
                BigBotSettings = bot,
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
