using System.Buffers;
using System.IO.Pipelines;
using GatewayProxy.Egress.Metrics;
using GatewayProxy.Egress.Relay;
using GatewayProxy.Egress.Routing;
using GatewayProxy.Egress.Server;
using GatewayProxy.Egress.Sessions;
using GatewayProxy.Protocol.Compression;
using GatewayProxy.Protocol.Events;
using GatewayProxy.Protocol.Gateway;
using GatewayProxy.Protocol.WebSockets;
using GatewayProxy.Ring;

namespace GatewayProxy.Egress.Clients;

/// <summary>One client WebSocket after the upgrade: reads its commands, starts or resumes its session, and hands the
/// session to a relay worker for live events. Split by concern: Read (frames, opcodes), Identify (snapshot, READY burst),
/// Resume (take-over, replay), Commands (op 3/4/8/31 upstream), Close (closing and teardown).</summary>
/// <remarks>
/// The read loop is the connection's only long-lived async flow and it is idle between client payloads (a heartbeat
/// every ~41 s): live events never go through it. A session start runs as a second flow until the READY/GUILD_CREATE
/// burst is sent, so heartbeats keep being answered while a client waits for its shard.
/// </remarks>
internal sealed partial class ClientConnection
{
    private readonly EgressContext _context;
    private readonly IDuplexPipe _transport;
    private readonly ISendProgress? _sendProgress;
    private readonly long _sentBefore;
    private readonly WebSocketMessageReader _frames;
    private readonly ArrayBufferWriter<byte> _message;
    private readonly ClientRateLimiter _rate = new();
    private readonly CancellationTokenSource _closing = new();
    private readonly TaskCompletionSource _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _sessionReleased = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private TaskCompletionSource _workerReleased = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private volatile ConnectionState _state;
    private Task _startTask = Task.CompletedTask;
    private long _lastHeartbeat;
    private bool _heartbeatEnforced;
    private EgressWorker? _worker;
    // TickCount64 by which a valid IDENTIFY or RESUME must have come; long.MaxValue once one has.
    private long _authenticateBy;

    public ClientConnection(EgressContext context, IDuplexPipe transport, TransportCompression compression, long acceptedAt, ISendProgress? sendProgress = null)
    {
        _context = context;
        _transport = transport;
        _sendProgress = sendProgress;
        // The 101 response went out before this connection existed; what follows is the output's.
        _sentBefore = sendProgress?.BytesSent ?? 0;
        Output = new ClientOutput(transport.Output, compression, context.Metrics.BytesFor(compression, payloadCompression: false),
            context.Options.ZlibLevel, context.Options.ZstdLevel);
        _frames = new WebSocketMessageReader(WebSocketRole.Server, context.Options.MaxClientPayloadBytes);
        _message = new ArrayBufferWriter<byte>(Math.Min(context.Options.MaxClientPayloadBytes, 4096));
        _lastHeartbeat = Environment.TickCount64;
        _heartbeatEnforced = true;
        _authenticateBy = acceptedAt + (long)context.Options.UnauthenticatedTimeout.TotalMilliseconds;
    }

    /// <summary>Where the connection is in its life.</summary>
    private enum ConnectionState
    {
        /// <summary>HELLO sent; waiting for IDENTIFY or RESUME (again after INVALID_SESSION).</summary>
        AwaitingIdentify,
        /// <summary>IDENTIFY or RESUME accepted; waiting for the shard, sending the burst or taking over the session.</summary>
        Starting,
        /// <summary>Attached to a relay worker.</summary>
        Live,
    }

    /// <summary>Everything sent to the client.</summary>
    public ClientOutput Output { get; }

    /// <summary>The session, once IDENTIFY or RESUME succeeded.</summary>
    public ClientSession? Session { get; private set; }

    /// <summary>The shard id (metrics), -1 before IDENTIFY/RESUME.</summary>
    public int ShardId => Session?.Feed.ShardId ?? -1;

    /// <summary>Completes when the connection is fully torn down.</summary>
    public Task Completion => _completion.Task;

    /// <summary>Completes when this connection no longer holds its session (a RESUME elsewhere may take it).</summary>
    public Task SessionReleased => _sessionReleased.Task;

    /// <summary>Completes when the relay worker has dropped this client (or it was never attached).</summary>
    public Task WorkerReleased => _workerReleased.Task;

    /// <summary>Bytes written to the client that its socket has not taken yet (0 when the transport does not say).</summary>
    public long Backlog => _sendProgress is null ? 0 : Math.Max(0, Output.Written - (_sendProgress.BytesSent - _sentBefore));

    /// <summary>The client's current lag in events (0 when not relaying).</summary>
    public long Lag => _state == ConnectionState.Live ? Session?.Cursor.Reader?.Lag ?? 0 : 0;

    /// <summary>True once live: the session's lanes have readers the metrics may look at.</summary>
    public bool IsLive => _state == ConnectionState.Live;

    /// <summary>Runs the connection to its end (the caller disposes the transport afterwards).</summary>
    public async Task RunAsync()
    {
        _context.Connections.TryAdd(this, 0);
        try
        {
            var helloWriter = new ArrayBufferWriter<byte>(64);
            GatewayPayloads.WriteHello(helloWriter, _context.Options.HeartbeatIntervalMs);
            Output.TrySend(helloWriter.WrittenSpan);
            await ReadLoopAsync().ConfigureAwait(false);
        }
        finally
        {
            await TeardownAsync().ConfigureAwait(false);
            _context.Connections.TryRemove(this, out _);
            _completion.TrySetResult();
        }
    }

    /// <summary>Called by the maintenance tick: closes a client that stopped heartbeating.</summary>
    public void CheckHeartbeat(long nowMs)
    {
        // Not while the client waits for READY: some libraries (Eris) send no heartbeat until READY/RESUMED.
        if (!Volatile.Read(ref _heartbeatEnforced) || IsCloseRequested) return;
        long silent = nowMs - Volatile.Read(ref _lastHeartbeat);
        if (silent <= _context.HeartbeatTimeoutMs) return;
        Close(GatewayCloseCode.SessionTimedOut, $"session timed out: no heartbeat for {silent} ms (interval {_context.Options.HeartbeatIntervalMs} ms)",
            ClientDisconnectReason.HeartbeatTimeout, keepSession: false);
    }

    /// <summary>Called by the maintenance tick: closes a connection that has not authenticated in time.</summary>
    public void CheckAuthenticated(long nowMs)
    {
        if (nowMs <= Volatile.Read(ref _authenticateBy) || IsCloseRequested) return;
        Close(GatewayCloseCode.NotAuthenticated, string.Create(System.Globalization.CultureInfo.InvariantCulture,
                $"not authenticated within {_context.Options.UnauthenticatedTimeout.TotalSeconds:0.###} s: send IDENTIFY or RESUME with the bot token"),
            ClientDisconnectReason.AuthenticationTimeout, keepSession: false);
    }

    /// <summary>A valid IDENTIFY or RESUME came: the unauthenticated deadline no longer applies to this connection.</summary>
    private void MarkAuthenticated() => Volatile.Write(ref _authenticateBy, long.MaxValue);

    /// <summary>Called by the worker when it dropped this client.</summary>
    public void OnWorkerReleased() => _workerReleased.TrySetResult();

    private void Attach(ClientSession session, SnapshotHold? hold, long resumeTarget)
    {
        session.Cursor.Begin(hold, resumeTarget);
        Attach(session);
    }

    /// <summary>Hands the session to a worker; every lane's hold and RESUME target already set (<see cref="RelayCursor.Begin"/>).</summary>
    private void Attach(ClientSession session)
    {
        Volatile.Write(ref _lastHeartbeat, Environment.TickCount64);
        Volatile.Write(ref _heartbeatEnforced, true);
        EgressWorker worker = _context.PickWorker();
        _worker = worker;
        _workerReleased = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Output.WakeOnFlush = worker.Signal;
        _state = ConnectionState.Live;
        worker.Attach(this);
    }
}
