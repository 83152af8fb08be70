using System.Runtime.InteropServices;
using GatewayProxy.Host.Configuration;
using GatewayProxy.Host.Logging;
using GatewayProxy.Simulator;

namespace GatewayProxy.Host;

/// <summary>The GatewayProxy executable: loads config.json, runs the proxy until SIGTERM or Ctrl-C.</summary>
public static class Program
{
    /// <summary>Entry point; exit code 0 after a clean stop, 2 for a bad command line or config, 1 for a failure.</summary>
    public static async Task<int> Main(string[] args)
    {
        if (!CommandLine.TryParse(args, out CommandLine cli, out string? cliError))
        {
            await Console.Error.WriteLineAsync("GatewayProxy: " + cliError).ConfigureAwait(false);
            return 2;
        }

        if (cli.Help)
        {
            Console.WriteLine(CommandLine.Usage);
            return 0;
        }

        // Off (null) unless GATEWAYPROXY_ALLOC_SAMPLE names a file: see perf/README.md, "Allocation per event".
        using Diagnostics.AllocationSampler? sampler = Diagnostics.AllocationSampler.StartFromEnvironment(Environment.GetEnvironmentVariable);

        // Off (null) unless GATEWAYPROXY_PERF_CONTROL=1: forced GCs and GC pause counts for perf/README.md, "Big bot".
        using Diagnostics.PerfControl? perfControl = Diagnostics.PerfControl.StartFromEnvironment(Environment.GetEnvironmentVariable);
        using var stop = new CancellationTokenSource();
        using PosixSignalRegistration sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, ctx => { ctx.Cancel = true; stop.Cancel(); });
        using PosixSignalRegistration sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, ctx => { ctx.Cancel = true; stop.Cancel(); });

        DiscordSimulator? simulator = null;
        try
        {
            ProxyConfig config;
            if (cli.Simulate)
            {
                simulator = await DiscordSimulator.StartAsync(new SimulatorOptions
                {
                    ShardCount = cli.SimShards,
                    GuildCount = cli.SimGuilds,
                    EventsPerSecond = cli.SimRate,
                    IdentifyInterval = TimeSpan.FromMilliseconds(500),
                }, stop.Token).ConfigureAwait(false);
                config = SimulatedConfig(cli, simulator);
            }
            else
            {
                config = ConfigLoader.Load(cli.ConfigPath, Environment.GetEnvironmentVariable);
            }

            if (cli.Port is int port)
            {
                config = config with { Port = port };
            }

            ProxyLog log = ProxyLog.Console(config.LogLevel);
            log.AddSecret(config.Token);
            if (config.MemoryLimitMb is int memoryLimitMb)
            {
                // Process-wide, so here and not in ProxyHost (which the tests run in their own process).
                if (!Wiring.GcHeapLimit.TryApply((long)memoryLimitMb * 1024 * 1024, out string? memoryError))
                {
                    await Console.Error.WriteLineAsync(memoryError).ConfigureAwait(false);
                    return 2;
                }

                log.Info($"memory_limit_mb: the GC heap hard limit is {Wiring.GcHeapLimit.Current / (1024 * 1024)} MiB");
            }
            using ConfigWatcher? watcher = cli.Simulate || !File.Exists(cli.ConfigPath) ? null : new ConfigWatcher(cli.ConfigPath, config, Environment.GetEnvironmentVariable, log);
            if (watcher is not null)
            {
                watcher.LogLevelChanged += level => log.MinimumLevel = level;
                watcher.Start();
            }

            // The simulator paces identifies at 500 ms, not Discord's 5 s: the demo is ready in a second.
            Action<Ingress.IngressOptions>? tuneIngress = simulator is null ? null : o =>
            {
                o.IdentifyInterval = simulator.Options.IdentifyInterval;
                o.IdentifyMargin = simulator.Options.IdentifyInterval / 10;
            };
            await using ProxyHost host = await ProxyHost.StartAsync(config, log, tuneIngress: tuneIngress, ct: stop.Token).ConfigureAwait(false);
            if (simulator is not null)
            {
                string url = $"ws://127.0.0.1:{host.LocalEndPoint.Port}";
                log.Info($"simulated Discord at {simulator.ApiBaseUrl} ({cli.SimShards} shards, {cli.SimGuilds} guilds, {cli.SimRate} events/s per shard)");
                Console.WriteLine($"Connect your bot to {url} with token \"{simulator.Options.Token}\" and shard count {cli.SimShards} (REST api: {simulator.ApiBaseUrl}). Ctrl-C stops.");
            }

            try
            {
                await Task.Delay(Timeout.Infinite, stop.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
            }

            log.Info("stopping: closing clients and upstream shards (resumable)");
            await host.StopAsync(CancellationToken.None).ConfigureAwait(false);
            return 0;
        }
        catch (ConfigException e)
        {
            foreach (string error in e.Errors)
            {
                await Console.Error.WriteLineAsync(error).ConfigureAwait(false);
            }

            return 2;
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            return 0;
        }
        finally
        {
            if (simulator is not null)
            {
                await simulator.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    /// <summary>The config for <c>--simulate</c>: ./config.json when present (its token and upstream replaced), else the defaults.</summary>
    private static ProxyConfig SimulatedConfig(CommandLine cli, DiscordSimulator simulator)
    {
        string token = simulator.Options.Token;
        ProxyConfig config = File.Exists(cli.ConfigPath)
            ? ConfigLoader.Load(cli.ConfigPath, name => name == ConfigLoader.TokenVariable ? token : Environment.GetEnvironmentVariable(name))
            : ConfigLoader.LoadFromJson("{\"intents\": 32511}", "(defaults)", name => name == ConfigLoader.TokenVariable ? token : null);
        return config with
        {
            Token = token,
            Shards = null,
            ShardStart = null,
            ShardEnd = null,
            TwilightHttpProxy = null,
            StateFile = null,
            Bind = "127.0.0.1",
            Upstream = config.Upstream with { ApiBaseUrl = simulator.ApiBaseUrl.ToString().TrimEnd('/'), GatewayUrl = null },
        };
    }
}
