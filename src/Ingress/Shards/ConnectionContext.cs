using GatewayProxy.Ingress.Connection;

namespace GatewayProxy.Ingress.Shards;

/// <summary>One upstream connection of a shard: its transport, writer, heartbeat and how it ended (the first reason wins).</summary>
internal sealed class ConnectionContext : IDisposable
{
    private readonly CancellationTokenSource _cts;
    private readonly TaskCompletionSource<HeartbeatMonitor> _hello = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Lock _endLock = new();
    private ConnectionEnd _end;
    private volatile bool _ended;
    private volatile bool _sessionEstablished;
    private volatile bool _identifyQueued;

    public ConnectionContext(UpstreamConnection connection, bool resuming, CancellationToken shardToken)
    {
        Connection = connection;
        Resuming = resuming;
        Writer = new ConnectionWriter(connection.Output);
        _cts = CancellationTokenSource.CreateLinkedTokenSource(shardToken);
    }

    public UpstreamConnection Connection { get; }

    public ConnectionWriter Writer { get; }

    /// <summary>True when this connection RESUMEs (false: it IDENTIFYs).</summary>
    public bool Resuming { get; }

    /// <summary>Cancelled when the connection is torn down.</summary>
    public CancellationToken Token => _cts.Token;

    /// <summary>Completes with the heartbeat monitor once HELLO arrived.</summary>
    public Task<HeartbeatMonitor> Hello => _hello.Task;

    /// <summary>The heartbeat monitor (null before HELLO).</summary>
    public HeartbeatMonitor? Heartbeat => _hello.Task.IsCompletedSuccessfully ? _hello.Task.Result : null;

    /// <summary>True once READY or RESUMED arrived on this connection.</summary>
    public bool SessionEstablished
    {
        get => _sessionEstablished;
        set => _sessionEstablished = value;
    }

    /// <summary>True once an IDENTIFY was queued on this connection: an op 9 before READY is then its refusal.</summary>
    public bool IdentifyQueued
    {
        get => _identifyQueued;
        set => _identifyQueued = value;
    }

    /// <summary>True once an end reason was recorded.</summary>
    public bool IsEnded => _ended;

    /// <summary>The recorded end (meaningful once <see cref="IsEnded"/>).</summary>
    public ConnectionEnd EndState
    {
        get
        {
            lock (_endLock)
            {
                return _end;
            }
        }
    }

    /// <summary>Records HELLO; false when it came twice.</summary>
    public bool OnHello(HeartbeatMonitor monitor) => _hello.TrySetResult(monitor);

    /// <summary>Records why the connection ends (first call wins), queues a close frame with <paramref name="closeCode"/> when given, and aborts when asked.</summary>
    public ConnectionEnd End(ConnectionEnd end, ushort closeCode = 0, bool abort = false)
    {
        ConnectionEnd recorded;
        lock (_endLock)
        {
            if (!_ended)
            {
                _end = end;
                _ended = true;
            }

            recorded = _end;
        }

        if (closeCode != 0)
        {
            Writer.TrySendClose(closeCode, CloseReason(closeCode));
        }

        if (abort)
        {
            Writer.Abandon();
            Connection.Abort();
            Cancel();
        }

        return recorded;
    }

    /// <summary>Wakes every wait of this connection.</summary>
    public void Cancel()
    {
        try
        {
            _cts.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // Already torn down.
        }
    }

    public void Dispose() => _cts.Dispose();

    private static string CloseReason(ushort code) => code == Shard.ResumableCloseCode ? "reconnecting" : "closing";
}
