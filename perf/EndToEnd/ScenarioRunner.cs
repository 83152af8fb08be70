using System.Diagnostics;
using GatewayProxy.Simulator;

namespace GatewayProxy.Perf.EndToEnd;

/// <summary>
/// Runs one scenario against one target: a fresh Simulator with pre-generated pools, the target child process, the
/// clients and their snapshots, a warm-up, then the measured window (target counters read before and after).
/// </summary>
internal sealed partial class ScenarioRunner : IAsyncDisposable
{
    private readonly Scenario _scenario;
    private readonly TargetKind _kind;
    private readonly List<LoadClient> _clients = [];
    private DiscordSimulator? _simulator;
    private IRelayTarget? _target;
    private ExpectedStream[] _expected = [];
    private FlowGate[] _gates = [];

    private ScenarioRunner(Scenario scenario, TargetKind kind)
    {
        _scenario = scenario;
        _kind = kind;
    }

    /// <summary>Runs <paramref name="scenario"/> against <paramref name="kind"/>; a failure is reported in the result, not thrown.</summary>
    public static async Task<RunResult> RunAsync(Scenario scenario, TargetKind kind)
    {
        await using var runner = new ScenarioRunner(scenario, kind);
        var name = kind.ToString().ToLowerInvariant();
        try
        {
            await runner.SetUpAsync().ConfigureAwait(false);
            return await runner.MeasureAsync(name).ConfigureAwait(false);
        }
        catch (Exception e) when (e is TimeoutException or InvalidOperationException or IOException or System.Net.Sockets.SocketException or HttpRequestException)
        {
            return new RunResult(scenario, name) { Error = runner.FirstClientError() ?? e.Message };
        }
    }

    /// <summary>Drops the clients, stops the target and the Simulator.</summary>
    public async ValueTask DisposeAsync()
    {
        foreach (var client in _clients)
        {
            await client.DisposeAsync().ConfigureAwait(false);
        }

        if (_target is not null)
        {
            await _target.DisposeAsync().ConfigureAwait(false);
        }

        if (_simulator is not null)
        {
            await _simulator.DisposeAsync().ConfigureAwait(false);
        }
    }

    private async Task SetUpAsync()
    {
        var s = _scenario;
        _simulator = await DiscordSimulator.StartAsync(new SimulatorOptions
        {
            ShardCount = s.Shards,
            GuildCount = s.Shards * RunSettings.GuildsPerShard,
            EventsPerSecond = 0,
            IdentifyInterval = TimeSpan.Zero,
            MaxConcurrency = s.Shards,
            ResumeWindow = TimeSpan.FromSeconds(1),
            ReplayBufferSize = 16,
            RecordLimit = 4096,

            // The driver's own process is saturated by the firehose and the clients: no run should end on a zombie check.
            HeartbeatTimeoutFactor = 10,
            Token = RunSettings.Token,
        }).ConfigureAwait(false);

        var total = s.WarmupEvents + s.MeasuredEvents;
        _expected = new ExpectedStream[s.Shards];
        for (var shard = 0; shard < s.Shards; shard++)
        {
            _expected[shard] = new ExpectedStream(shard, _simulator.GenerateDispatches(shard, RunSettings.PoolSize), total);
        }

        _target = _kind switch
        {
            TargetKind.Proxy => await ProxyTarget.StartAsync(_simulator.ApiBaseUrl, RunSettings.Token, RunSettings.Intents, s.Compression, s.Cache).ConfigureAwait(false),
            _ => await BaselineTarget.StartAsync(_kind, _simulator.Port).ConfigureAwait(false),
        };

        _gates = new FlowGate[s.Shards];
        for (var shard = 0; shard < s.Shards; shard++)
        {
            _gates[shard] = new FlowGate(RunSettings.FlowWindow);
        }

        if (s.ClientShards == 1)
        {
            // One client at [0, 1] reads every upstream shard; each shard's gate waits for its lane of that client.
            var merged = await LoadClient.ConnectAsync(_target.ClientUrl, _expected[0], _gates[0], s.Compression, RunSettings.Token, 1, RunSettings.Intents,
                lanes: _expected, laneGates: _gates).ConfigureAwait(false);
            _clients.Add(merged);
            for (var shard = 0; shard < s.Shards; shard++)
            {
                _gates[shard].Add(merged, shard);
            }

            await merged.Snapshot.WaitAsync(RunSettings.PhaseLimit).ConfigureAwait(false);
            return;
        }

        for (var i = 0; i < s.Clients; i++)
        {
            var shard = i % s.Shards;
            var client = await LoadClient.ConnectAsync(_target.ClientUrl, _expected[shard], _gates[shard], s.Compression,
                RunSettings.Token, s.Shards, RunSettings.Intents).ConfigureAwait(false);
            _clients.Add(client);
            _gates[shard].Add(client);
        }

        // A shard without clients of its own is paced by every client, so its firehose stays bounded too.
        for (var shard = s.Clients; shard < s.Shards; shard++)
        {
            foreach (var client in _clients)
            {
                _gates[shard].Add(client);
            }
        }

        var snapshots = new Task[_clients.Count];
        for (var i = 0; i < snapshots.Length; i++)
        {
            snapshots[i] = _clients[i].Snapshot;
        }

        await Task.WhenAll(snapshots).WaitAsync(RunSettings.PhaseLimit).ConfigureAwait(false);
    }

    private string? FirstClientError()
    {
        foreach (var client in _clients)
        {
            if (client.Error is { } error)
            {
                return error;
            }
        }

        return null;
    }

    private static long Now() => Stopwatch.GetTimestamp();
}
