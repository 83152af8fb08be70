using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using GatewayProxy.Simulator.Data;
using GatewayProxy.Simulator.Gateway;
using GatewayProxy.Simulator.Sessions;
using GatewayProxy.Simulator.Transport;

namespace GatewayProxy.Simulator;

/// <summary>
/// A local Discord on 127.0.0.1: REST (<c>/api/v10/gateway[/bot]</c>) and the gateway on one port, a generated bot
/// with guilds on every shard, a live event stream, session resume, identify limits, fault injection and a record of
/// everything sent and received. Split by concern: sessions, faults, observation.
/// </summary>
public sealed partial class DiscordSimulator : IAsyncDisposable
{
    private readonly Socket _listener;
    private readonly CancellationTokenSource _stop = new();
    private readonly ShardRuntime[] _shards;
    private readonly ConcurrentDictionary<int, GatewayConnection> _connections = new();
    private readonly ConcurrentDictionary<Task, byte> _handlers = new();
    private readonly Random _sessionIds;
    private readonly Lock _sessionIdGate = new();
    private Task? _acceptLoop;
    private Task[] _liveStreams = [];
    private int _connectionIds;
    private double _rate;

    private DiscordSimulator(SimulatorOptions options, Socket listener, X509Certificate2? certificate)
    {
        Options = options;
        _listener = listener;
        Certificate = certificate;
        Port = ((IPEndPoint)listener.LocalEndPoint!).Port;
        var http = options.Tls ? "https" : "http";
        var ws = options.Tls ? "wss" : "ws";
        GatewayUrlString = string.Create(CultureInfo.InvariantCulture, $"{ws}://127.0.0.1:{Port}");
        ApiBaseUrl = new Uri(string.Create(CultureInfo.InvariantCulture, $"{http}://127.0.0.1:{Port}/api/v10"));
        GatewayUrl = new Uri(GatewayUrlString);
        State = new DataGenerator(options).Generate();
        IdentifyLimits = new IdentifyLimiter(options);
        IdentifyQueue = new IdentifyQueueServer(options, IdentifyLimits);
        _sessionIds = new Random(options.SessionIdSeed ?? unchecked(options.Seed * 31 + 17));
        _rate = options.EventsPerSecond;
        _shards = new ShardRuntime[options.ShardCount];
        for (var s = 0; s < _shards.Length; s++)
        {
            _shards[s] = new ShardRuntime(this, State.Shard(s));
        }
    }

    /// <summary>The options it runs with.</summary>
    public SimulatorOptions Options { get; }

    /// <summary>The port it listens on (127.0.0.1).</summary>
    public int Port { get; }

    /// <summary><c>http(s)://127.0.0.1:PORT/api/v10</c>.</summary>
    public Uri ApiBaseUrl { get; }

    /// <summary><c>ws(s)://127.0.0.1:PORT</c> (bare: clients add the query).</summary>
    public Uri GatewayUrl { get; }

    /// <summary>The self-signed certificate served with <see cref="SimulatorOptions.Tls"/>, else null (trust it by thumbprint).</summary>
    public X509Certificate2? Certificate { get; }

    /// <summary>The generated bot, kept consistent with every emitted event.</summary>
    public SimulatorState State { get; }

    /// <summary>Successful IDENTIFYs so far.</summary>
    public int IdentifyCount => Volatile.Read(ref _identifyCount);

    /// <summary>Successful RESUMEs so far.</summary>
    public int ResumeCount => Volatile.Read(ref _resumeCount);

    /// <summary>The live event rate now (events per second per shard).</summary>
    public double Rate => Volatile.Read(ref _rate);

    /// <summary>The gateway URL as the REST API and READY spell it: no trailing slash, no query.</summary>
    internal string GatewayUrlString { get; }

    /// <summary>The identify limits (buckets and session starts).</summary>
    internal IdentifyLimiter IdentifyLimits { get; }

    /// <summary>Generates the data, binds 127.0.0.1:<see cref="SimulatorOptions.Port"/> and starts serving.</summary>
    public static Task<DiscordSimulator> StartAsync(SimulatorOptions options, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        ct.ThrowIfCancellationRequested();
        var certificate = options.Tls ? SelfSignedCertificate.Create() : null;
        var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            listener.Bind(new IPEndPoint(IPAddress.Loopback, options.Port));
            listener.Listen(512);
        }
        catch
        {
            listener.Dispose();
            certificate?.Dispose();
            throw;
        }

        var simulator = new DiscordSimulator(options, listener, certificate);
        simulator.Start();
        return Task.FromResult(simulator);
    }

    /// <summary>Sets the live event rate of every shard (0 pauses the stream).</summary>
    public void SetRate(double eventsPerSecond)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(eventsPerSecond);
        Volatile.Write(ref _rate, eventsPerSecond);
        foreach (var shard in _shards)
        {
            // A barrier: an emission that read the old rate finishes before SetRate returns (it re-checks under the lock).
            lock (shard.Gate)
            {
            }

            shard.Wake();
        }
    }

    /// <summary>Generates and sends <paramref name="count"/> events on a shard now (buffered for resume while its session is disconnected); returns how many were dispatched.</summary>
    public Task<int> EmitEventsAsync(int shard, int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        var runtime = Shard(shard);
        lock (runtime.Gate)
        {
            return Task.FromResult(runtime.EmitLocked(count));
        }
    }

    /// <summary>Stops listening, drops every connection and stops the live streams.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_stop.IsCancellationRequested)
        {
            return;
        }

        await _stop.CancelAsync().ConfigureAwait(false);
        _listener.Dispose();
        foreach (var connection in _connections.Values)
        {
            connection.Abort();
        }

        var all = new List<Task>(_handlers.Keys) { _acceptLoop ?? Task.CompletedTask };
        all.AddRange(_liveStreams);
        await Task.WhenAny(Task.WhenAll(all), Task.Delay(TimeSpan.FromSeconds(10))).ConfigureAwait(false);
        Certificate?.Dispose();
        _stop.Dispose();
    }

    internal int NextConnectionId() => Interlocked.Increment(ref _connectionIds);

    /// <summary>Writes a diagnostic line when <see cref="SimulatorOptions.Verbose"/> is on.</summary>
    internal void Log(string message)
    {
        if (Options.Verbose)
        {
            Console.Error.WriteLine($"[simulator {DateTime.UtcNow:HH:mm:ss.fff}] {message}");
        }
    }

    internal async Task RunConnectionAsync(GatewayConnection connection)
    {
        _connections[connection.Id] = connection;
        await connection.RunAsync().ConfigureAwait(false);
    }

    internal ShardRuntime Shard(int shard)
    {
        if ((uint)shard >= (uint)_shards.Length)
        {
            throw new ArgumentOutOfRangeException(nameof(shard), shard, $"shard must be 0..{_shards.Length - 1}");
        }

        return _shards[shard];
    }

    private void Start()
    {
        _acceptLoop = Task.Run(AcceptLoopAsync);
        _liveStreams = new Task[_shards.Length];
        for (var s = 0; s < _shards.Length; s++)
        {
            var shard = _shards[s];
            _liveStreams[s] = Task.Run(() => shard.RunLiveStreamAsync(_stop.Token));
        }
    }

    private async Task AcceptLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket socket;
            try
            {
                socket = await _listener.AcceptAsync(_stop.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                if (_stop.IsCancellationRequested)
                {
                    return;
                }

                continue;
            }

            socket.NoDelay = true;
            var handler = Task.Run(() => HttpFront.HandleAsync(this, socket, _stop.Token));
            _handlers[handler] = 0;
            _ = handler.ContinueWith(t => _handlers.TryRemove(t, out _), TaskScheduler.Default);
        }
    }

    private string NewSessionId()
    {
        Span<byte> bytes = stackalloc byte[16];
        lock (_sessionIdGate)
        {
            _sessionIds.NextBytes(bytes);
        }

        return Convert.ToHexStringLower(bytes);
    }
}
