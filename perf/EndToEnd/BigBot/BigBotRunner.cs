using System.Diagnostics;
using System.Globalization;
using GatewayProxy.Protocol.Compression;
using GatewayProxy.Simulator;

namespace GatewayProxy.Perf.EndToEnd.BigBot;

/// <summary>
/// One point of the big-bot curve: a Simulator with N shards × G guilds (size mix, streaming world), the proxy as a child
/// process, one client per shard, a window of realistic load, memory with and without a forced GC, then churn.
/// Every phase is bounded; a failure ends the run with the phase and the reason.
/// </summary>
internal sealed partial class BigBotRunner : IAsyncDisposable
{
    /// <summary>The proxy's upstream and the clients' intents: every intent but GUILD_PRESENCES (privileged; few large bots have it).</summary>
    public const long Intents = RunSettings.Intents & ~(1L << 8);

    private const int PoolEvents = 96;
    private const int OutageGuilds = 3;
    private static readonly TimeSpan PhaseLimit = TimeSpan.FromMinutes(8);

    private readonly BigBotOptions _options;
    private readonly int _shards;
    private readonly BigBotResult _result;
    private readonly List<LoadClient> _clients = [];
    private DiscordSimulator? _simulator;
    private ProxyTarget? _proxy;
    private ExpectedStream[] _expected = [];
    private FlowGate[] _gates = [];
    private ShardLoad[] _loads = [];

    private BigBotRunner(BigBotOptions options, int shards)
    {
        _options = options;
        _shards = shards;
        _result = new BigBotResult { Shards = shards, Guilds = shards * options.GuildsPerShard };
    }

    /// <summary>Runs one point; a failure is in the result, not thrown.</summary>
    public static async Task<BigBotResult> RunAsync(BigBotOptions options, int shards, long runtimeBaseline, Action<string> log)
    {
        await using var runner = new BigBotRunner(options, shards);
        runner._result.RuntimeBaseline = runtimeBaseline;
        try
        {
            await runner.RunCoreAsync(log).ConfigureAwait(false);
        }
        catch (Exception e) when (e is TimeoutException or InvalidOperationException or IOException or System.Net.Sockets.SocketException
            or HttpRequestException or OperationCanceledException or OutOfMemoryException or ArgumentException)
        {
            runner._result.Error = runner.FirstClientError() ?? e.Message.ReplaceLineEndings(" ");
        }

        runner._result.Error ??= runner.FirstClientError();
        if (runner._result.Error is not null && runner._proxy is { } proxy)
        {
            // The proxy's last words, for the failure's cause (its output is gone once it is disposed).
            var path = Path.Combine(Path.GetTempPath(), string.Create(CultureInfo.InvariantCulture, $"gp-big-bot-{shards}-proxy.log"));
            await File.WriteAllTextAsync(path, proxy.Child.Output).ConfigureAwait(false);
            runner._result.Error += " (proxy output: " + path + ")";
        }

        using var driver = Process.GetCurrentProcess();
        runner._result.DriverPeakRss = driver.PeakWorkingSet64;
        return runner._result;
    }

    /// <summary>RSS of an idle proxy with one shard and no guild, less its one ring: what the runtime costs by itself.</summary>
    public static async Task<long> MeasureRuntimeBaselineAsync(BigBotOptions options)
    {
        await using var simulator = await DiscordSimulator.StartAsync(new SimulatorOptions
        {
            ShardCount = 1, GuildCount = 0, EventsPerSecond = 0, IdentifyInterval = TimeSpan.Zero, Token = RunSettings.Token,
        }).ConfigureAwait(false);
        await using var proxy = await ProxyTarget.StartAsync(simulator.ApiBaseUrl, RunSettings.Token, Intents, TransportCompression.None, cache: true,
            ringSize: options.RingSize).ConfigureAwait(false);
        // Let start-up garbage and JIT settle a little: this is a baseline, not a peak.
        await Task.Delay(2000).ConfigureAwait(false);
        return proxy.ResidentBytes() - RingBytes(1, options.RingSize);
    }

    /// <summary>What the rings are expected to hold before a run: each ring's fixed slots (ring_size × 32 B) plus two
    /// 64 KiB log blocks of retained events; the measured figure comes from <c>gateway_ring_memory_bytes</c>.</summary>
    public static long RingBytes(int shards, int ringSize) => (long)shards * ((ringSize * 32L) + (2L * 64 * 1024));

    /// <summary>Drops the clients, stops the proxy and the Simulator.</summary>
    public async ValueTask DisposeAsync()
    {
        foreach (var client in _clients)
        {
            await client.DisposeAsync().ConfigureAwait(false);
        }

        if (_proxy is not null)
        {
            await _proxy.DisposeAsync().ConfigureAwait(false);
        }

        if (_simulator is not null)
        {
            await _simulator.DisposeAsync().ConfigureAwait(false);
        }
    }

    private async Task RunCoreAsync(Action<string> log)
    {
        var o = _options;
        _result.Phase = "world";
        _simulator = await DiscordSimulator.StartAsync(new SimulatorOptions
        {
            ShardCount = _shards,
            GuildCount = _shards * o.GuildsPerShard,
            GuildSizeMix = true,
            Seed = o.Seed,
            EventsPerSecond = 0,
            IdentifyInterval = TimeSpan.FromMilliseconds(o.IdentifyIntervalMs),
            MaxConcurrency = o.MaxConcurrency,
            SessionStartLimit = 1_000_000,
            LiveGuildsPerShard = 4,
            HotGuildsPerShard = 0,

            // Records and replay logs hold whole payloads (a shard's GUILD_CREATEs): keep them small at a thousand shards.
            RecordLimit = 2,
            ReplayBufferSize = 64,
            ResumeWindow = TimeSpan.FromSeconds(30),
            HeartbeatTimeoutFactor = 10,
            Token = RunSettings.Token,
        }).ConfigureAwait(false);
        _result.Mix = _simulator.State.GuildSizes();
        _result.FloorSeconds = o.IdentifyFloor(_shards).TotalSeconds;

        _result.Phase = "pools";
        var pools = new IReadOnlyList<Simulator.PreparedDispatch>[_shards];
        for (var shard = 0; shard < _shards; shard++)
        {
            var pool = new List<Simulator.PreparedDispatch>(_simulator.GenerateDispatches(shard, PoolEvents, Intents, 250));
            pool.AddRange(_simulator.GenerateOutage(shard, 8, OutageGuilds, Intents, 250));
            pools[shard] = pool;
        }

        var normal = pools[0].Count - (OutageGuilds * 2);
        _loads = ShardLoad.Create(_shards, o.Seed, o.MeanRate, normal, OutageGuilds * 2);
        var sampled = SampledShards();
        _expected = new ExpectedStream[_shards];
        _gates = new FlowGate[_shards];
        var seconds = o.Window.TotalSeconds + o.Churn.TotalSeconds;
        for (var shard = 0; shard < _shards; shard++)
        {
            if (pools[shard].Count != normal + (OutageGuilds * 2))
            {
                throw new InvalidOperationException($"shard {shard}: a pool of {pools[shard].Count} events, expected {normal + (OutageGuilds * 2)}");
            }

            var stamps = sampled.Contains(shard) ? (long)((_loads[shard].Rate * seconds * 1.2) + 4096) : 0;
            _expected[shard] = new ExpectedStream(shard, pools[shard], stamps, bytes: sampled.Contains(shard));
            _gates[shard] = new FlowGate(int.MaxValue);
        }

        _result.Phase = "ready";
        var clock = Stopwatch.StartNew();
        _proxy = await ProxyTarget.StartAsync(_simulator.ApiBaseUrl, RunSettings.Token, Intents, TransportCompression.None, cache: true,
            readyLimit: PhaseLimit, ringSize: o.RingSize, extraConfig: "\"max_connections_per_ip\": 65536,", identifyQueue: _simulator.IdentifyQueueUrl,
            environment: new Dictionary<string, string> { ["GATEWAYPROXY_PERF_CONTROL"] = "1" }).ConfigureAwait(false);
        _result.ReadySeconds = clock.Elapsed.TotalSeconds;
        _result.ReadyCpuSeconds = _proxy.Child.CpuSeconds();
        _result.ReadyLogLines = _proxy.Child.LineCount;
        _result.GuildCreates = _simulator.GuildCreatesSent;
        _result.GuildCreateBytes = _simulator.GuildCreateBytesSent;
        _result.RingBytes = RingBytes(_shards, o.RingSize);
        _result.ReadyReconnects = (long)await _proxy.SumMetricAsync("gateway_upstream_reconnects_total{").ConfigureAwait(false);
        var readyLog = Path.Combine(Path.GetTempPath(), string.Create(CultureInfo.InvariantCulture, $"gp-big-bot-{_shards}-ready.log"));
        await File.WriteAllTextAsync(readyLog, _proxy.Child.Output).ConfigureAwait(false);
        log(string.Create(CultureInfo.InvariantCulture,
            $"    ready in {_result.ReadySeconds:N1} s (floor {_result.FloorSeconds:N1} s), proxy CPU {_result.ReadyCpuSeconds:N1} s, {_result.GuildCreates:N0} GUILD_CREATEs ({_result.JsonPerGuild:N0} B each), {_result.ReadyLogLines:N0} log lines (tail: {readyLog}), {_result.ReadyReconnects} upstream reconnects"));
        await WaitForCacheAsync().ConfigureAwait(false);
        _result.RssReady = _proxy.ResidentBytes();

        _result.Phase = "clients";
        clock.Restart();
        await ConnectClientsAsync(sampled).ConfigureAwait(false);
        _result.ClientsSeconds = clock.Elapsed.TotalSeconds;
        log(string.Create(CultureInfo.InvariantCulture, $"    {_clients.Count} clients ready in {_result.ClientsSeconds:N1} s"));

        // Memory first (every client connected, no live load yet), so a point whose window fails still has its memory.
        await MeasureMemoryAsync().ConfigureAwait(false);
        await MeasureWindowAsync(log).ConfigureAwait(false);
        await ChurnAsync(log).ConfigureAwait(false);
        _result.Phase = "done";
    }

    private HashSet<int> SampledShards()
    {
        var count = Math.Min(_options.SampleShards, _shards);
        var set = new HashSet<int>();
        for (var i = 0; i < count; i++)
        {
            set.Add((int)((long)i * _shards / count));
        }

        return set;
    }

    private async Task WaitForCacheAsync()
    {
        var deadline = DateTime.UtcNow + PhaseLimit;
        while (await _proxy!.SumMetricAsync("gateway_cache_guilds{").ConfigureAwait(false) < _result.Guilds)
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"the cache did not reach {_result.Guilds} guilds within {PhaseLimit}");
            }

            // Polling a child's metrics: nothing to await instead.
            await Task.Delay(250).ConfigureAwait(false);
        }
    }

    private async Task ConnectClientsAsync(HashSet<int> sampled)
    {
        var sampleIndex = 0;
        var pending = new List<Task>();
        using var limit = new CancellationTokenSource(PhaseLimit);
        for (var shard = 0; shard < _shards; shard++)
        {
            var verify = sampled.Contains(shard);
            var compression = !verify ? TransportCompression.None : (sampleIndex++ % 2 == 0 ? TransportCompression.ZlibStream : TransportCompression.ZstdStream);
            var client = await LoadClient.ConnectAsync(_proxy!.ClientUrl, _expected[shard], _gates[shard], compression, RunSettings.Token, _shards, Intents,
                expectedGuilds: _simulator!.State.GetGuildIds(shard).Count).ConfigureAwait(false);
            client.MeasureFrom = verify ? 0 : long.MaxValue;
            _clients.Add(client);
            _gates[shard].Add(client);
            pending.Add(client.Snapshot);

            // A bounded number of snapshots in flight: each is the shard's whole guild list crafted from the cache.
            if (pending.Count >= 32)
            {
                await Task.WhenAll(pending).WaitAsync(limit.Token).ConfigureAwait(false);
                pending.Clear();
            }
        }

        await Task.WhenAll(pending).WaitAsync(limit.Token).ConfigureAwait(false);
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
}
