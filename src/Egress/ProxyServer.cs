using GatewayProxy.Protocol.Gateway;
using GatewayProxy.Shards;
using System.Net;
using System.Net.Sockets;
using GatewayProxy.Egress.Clients;
using GatewayProxy.Egress.Metrics;
using GatewayProxy.Egress.Relay;
using GatewayProxy.Egress.Server;
using GatewayProxy.Egress.Sessions;
using GatewayProxy.Egress.Tls;
using Microsoft.Extensions.Logging;

namespace GatewayProxy.Egress;

/// <summary>The client-facing side of the proxy: one listening port serving bots (WebSocket gateway) and operators
/// (/metrics, /health, /shard-count), over TLS when a certificate is configured. Split by concern: Accept (listener, HTTP
/// request, upgrade), Tls (certificate, handshake), Http (endpoints), Maintenance (heartbeat deadlines, session expiry,
/// metrics before a scrape).</summary>
public sealed partial class ProxyServer : IAsyncDisposable
{
    private readonly EgressContext _context;
    private readonly Socket _listener;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _acceptLoop;
    private readonly Task _maintenanceLoop;
    private readonly Task _memoryLoop;
    private readonly Socket? _adminListener;
    private readonly Task? _adminLoop;
    private readonly ConnectionLimiter _limiter;
    private readonly CertificateReloader? _certificates;
    private int _disposed;

    private ProxyServer(EgressOptions options, IShardDirectory shards, ILogger logger)
    {
        var metrics = new EgressMetrics(options.Metrics);
        _limiter = new ConnectionLimiter(options.MaxConnectionsPerIp);
        _certificates = LoadCertificate(options, logger);
        try
        {
            _listener = Bind(options);
            try
            {
                _adminListener = BindAdmin(options);
            }
            catch
            {
                _listener.Dispose();
                throw;
            }
        }
        catch
        {
            _certificates?.Dispose();
            throw;
        }

        LocalEndPoint = (IPEndPoint)_listener.LocalEndPoint!;
        var workers = new EgressWorker[options.WorkerCount];
        for (int i = 0; i < workers.Length; i++) workers[i] = new EgressWorker(i, options.Backpressure, logger);
        _context = new EgressContext(options, shards, logger, metrics, workers, BuildResumeUrl(options, LocalEndPoint), CreateMemoryGuard(options));
        options.Metrics.AddBeforeCollectCallback(UpdateGauges);
        _acceptLoop = Task.Run(AcceptLoopAsync);
        _maintenanceLoop = Task.Run(MaintenanceLoopAsync);
        _memoryLoop = Task.Run(MemoryLoopAsync);
        if (_adminListener is { } admin) _adminLoop = Task.Run(() => AdminAcceptLoopAsync(admin));
        EgressLog.Listening(logger, LocalEndPoint, shards.ShardStart, shards.ShardEnd - 1, shards.TotalShards, _context.ResumeUrl);
        const double MiB = 1024 * 1024;
        EgressLog.MemoryGuardStarted(logger, _context.Memory.Limit / MiB, _context.Memory.RefuseBytes / MiB, _context.Memory.ShedBytes / MiB);
    }

    /// <summary>The address actually listened on (the real port when Port is 0).</summary>
    public IPEndPoint LocalEndPoint { get; }

    /// <summary>Live client WebSockets.</summary>
    public int ConnectedClients => _context.Connections.Count;

    /// <summary>Open TCP connections on the port in any state: clients, HTTP requests, handshakes in progress, closings.</summary>
    public int OpenConnections => _limiter.Open;

    /// <summary>Sessions, including detached ones that can still be resumed.</summary>
    public int SessionCount => _context.Sessions.Count;

    /// <summary>The resume_gateway_url sent in READY.</summary>
    public string ResumeGatewayUrl => _context.ResumeUrl;

    /// <summary>Sends op 7 RECONNECT to every live client (as Discord does): libraries close and RESUME their session.</summary>
    internal int SendReconnect()
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(48);
        Protocol.Gateway.GatewayPayloads.WriteReconnect(buffer);
        int sent = 0;
        foreach (ClientConnection client in _context.Connections.Keys)
        {
            if (client.Session is not null && client.Output.TrySend(buffer.WrittenSpan)) sent++;
        }

        return sent;
    }

    /// <summary>Disconnects counted so far for a reason (tests).</summary>
    internal double DisconnectCount(ClientDisconnectReason reason) => _context.Metrics.DisconnectCount(reason);

    /// <summary>The memory guard (tests).</summary>
    internal MemoryGuard Memory => _context.Memory;

    /// <summary>Connections refused before the upgrade so far for a reason (tests).</summary>
    internal double RefusedCount(RefusalReason reason) => _context.Metrics.RefusedCount(reason);

    /// <summary>Every per-client object the proxy holds right now: connections, their outputs and all sessions (tests
    /// hold them weakly to prove that everything a client had is collectable once it is gone).</summary>
    internal IEnumerable<object> PerClientObjects()
    {
        foreach (ClientConnection client in _context.Connections.Keys)
        {
            yield return client;
            yield return client.Output;
        }

        foreach (ClientSession session in _context.Sessions.All) yield return session;
    }

    /// <summary>Starts listening at once.</summary>
    public static ProxyServer Start(EgressOptions options, IShardDirectory shards, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(shards);
        ArgumentNullException.ThrowIfNull(logger);
        options.Validate();
        return new ProxyServer(options, shards, logger);
    }

    /// <summary>Stops listening and closes every client with 1012 (service restart: libraries reconnect), delivering the close frames.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        await _stop.CancelAsync().ConfigureAwait(false);
        _listener.Dispose();
        _adminListener?.Dispose();
        foreach (ClientConnection client in _context.Connections.Keys)
        {
            if (!client.Close(GatewayCloseCode.ServiceRestart, "gateway proxy restarting", ClientDisconnectReason.Shutdown, keepSession: false))
            {
                EgressLog.ClosingAtShutdown(_context.Logger, client.ShardId, client.CloseReason);
            }
        }

        var pending = new List<Task>();
        foreach (ClientConnection client in _context.Connections.Keys) pending.Add(client.Completion);
        try
        {
            await Task.WhenAll(pending).WaitAsync(_context.Options.CloseTimeout + TimeSpan.FromSeconds(5)).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            EgressLog.SlowShutdown(_context.Logger, _context.Connections.Count);
        }

        foreach (EgressWorker worker in _context.Workers) await worker.DisposeAsync().ConfigureAwait(false);
        await IgnoreCancellation(_acceptLoop).ConfigureAwait(false);
        await IgnoreCancellation(_maintenanceLoop).ConfigureAwait(false);
        await IgnoreCancellation(_memoryLoop).ConfigureAwait(false);
        if (_adminLoop is not null) await IgnoreCancellation(_adminLoop).ConfigureAwait(false);
        _certificates?.Dispose();
        _context.Sessions.Clear();
        _stop.Dispose();
    }

    private static Socket Bind(EgressOptions options)
    {
        var socket = new Socket(options.BindAddress.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            if (options.BindAddress.Equals(IPAddress.IPv6Any)) socket.DualMode = true;
            socket.Bind(new IPEndPoint(options.BindAddress, options.Port));
            socket.Listen(512);
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    private static string BuildResumeUrl(EgressOptions options, IPEndPoint local)
    {
        if (!string.IsNullOrWhiteSpace(options.ExternallyAccessibleUrl))
        {
            // No query and no trailing slash: Eris appends "?v=10&encoding=json" directly.
            string url = options.ExternallyAccessibleUrl.Trim();
            int query = url.IndexOf('?', StringComparison.Ordinal);
            if (query >= 0) url = url[..query];
            return url.TrimEnd('/');
        }

        IPAddress address = local.Address;
        if (address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any)) address = IPAddress.Loopback;
        string host = address.AddressFamily == AddressFamily.InterNetworkV6 ? "[" + address + "]" : address.ToString();
        return (options.Tls ? "wss://" : "ws://") + host + ":" + local.Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
    }

    private static async Task IgnoreCancellation(Task task)
    {
        try
        {
            await task.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Stopped.
        }
    }
}
