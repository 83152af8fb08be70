using GatewayProxy.Protocol.Gateway;
using GatewayProxy.Egress.Server;
using System.Buffers;
using System.IO.Pipelines;
using GatewayProxy.Egress.Metrics;
using GatewayProxy.Egress.Relay;
using GatewayProxy.Egress.Sessions;
using GatewayProxy.Protocol.WebSockets;
using GatewayProxy.Ring;
using Microsoft.Extensions.Logging;

namespace GatewayProxy.Egress.Clients;

/// <summary>Closing: one close frame with a code and reason that really reaches the peer, then an orderly teardown.</summary>
internal sealed partial class ClientConnection
{
    private int _closeRequested;
    private ClientDisconnectReason _closeReason = ClientDisconnectReason.Dropped;
    private bool _keepSession = true;
    private bool _peerClosed;
    private GatewayCloseCode _closeCode;

    /// <summary>Why the connection is closing (meaningful once <see cref="IsCloseRequested"/>).</summary>
    public ClientDisconnectReason CloseReason => _closeReason;

    /// <summary>True once a close was decided (by either side).</summary>
    public bool IsCloseRequested => Volatile.Read(ref _closeRequested) != 0;

    /// <summary>Closes the connection once: sends a close frame with <paramref name="code"/> and <paramref name="reason"/>
    /// (none for <see cref="GatewayCloseCode.None"/>: the socket is already gone) and stops the read loop. Thread-safe.</summary>
    /// <param name="code">The close code (<see cref="GatewayCloseCode.None"/>: no frame).</param>
    /// <param name="reason">The close reason sent to the client.</param>
    /// <param name="why">The metric label.</param>
    /// <param name="keepSession">Whether the session stays resumable.</param>
    /// <param name="peerClosed">True when answering the client's own close frame.</param>
    public bool Close(GatewayCloseCode code, string reason, ClientDisconnectReason why, bool keepSession, bool peerClosed = false)
    {
        if (Interlocked.Exchange(ref _closeRequested, 1) != 0) return false;
        _closeReason = why;
        _keepSession = keepSession;
        _peerClosed = peerClosed;
        _closeCode = code;
        if (code != GatewayCloseCode.None) Output.TryWriteClose((ushort)code, reason);
        if (code >= GatewayCloseCode.UnknownError && why != ClientDisconnectReason.ClientClose && why != ClientDisconnectReason.Shutdown)
        {
            EgressLog.ClosingClient(_context.Logger, ShardId, (ushort)code, reason);
        }

        _closing.Cancel();
        try
        {
            _transport.Input.CancelPendingRead();
        }
        catch (InvalidOperationException)
        {
            // Reader already completed.
        }

        return true;
    }

    private async Task TeardownAsync()
    {
        if (!IsCloseRequested) Close(GatewayCloseCode.None, string.Empty, ClientDisconnectReason.Dropped, keepSession: true);
        try
        {
            await ReleaseAsync().ConfigureAwait(false);
        }
        finally
        {
            // Whatever failed above, the close frame still goes out and the socket still closes gracefully: a socket
            // closed with its close frame unsent, or with unread input (the kernel then sends RST), leaves the client
            // without a close code.
            await FinishTransportAsync().ConfigureAwait(false);
            // _closing is not disposed: another thread may be inside Close() (after winning nothing) and a timer-less
            // CancellationTokenSource holds no resources.
            Output.Dispose();
        }
    }

    /// <summary>Ends the session start, leaves the relay worker and releases the session.</summary>
    private async Task ReleaseAsync()
    {
        try
        {
            await _startTask.ConfigureAwait(false);
        }
        catch (Exception e) when (e is OperationCanceledException or TimeoutException)
        {
            // Ended by the close.
        }

        EgressWorker? worker = _worker;
        if (worker is not null)
        {
            worker.Detach(this);
            try
            {
                // Bounded: a worker that is gone (shutdown) releases everything it held anyway.
                await WorkerReleased.WaitAsync(TimeSpan.FromSeconds(10)).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                // A starved worker: the teardown goes on (an output write after the close frame is refused).
            }
        }

        ClientSession? session = Session;
        session?.ReleaseHolds();
        if (session is not null)
        {
            // Resumable only when the code says so and the ring still holds the next event.
            bool keep = _keepSession && _closeReason != ClientDisconnectReason.Shutdown
                && !session.CannotContinue;
            ReleaseSession(session, keep);
        }

        _sessionReleased.TrySetResult();
        _context.Metrics.Disconnected(_closeReason);
    }

    private void ReleaseSession(ClientSession session, bool keep)
    {
        bool owned;
        RingReader?[]? detached = null;
        lock (session.SyncRoot)
        {
            owned = ReferenceEquals(session.Connection, this);
            if (owned)
            {
                session.Connection = null;
                session.DetachedAt = Environment.TickCount64;
                // Taken under the lock: once released, a RESUME may claim the session and give it new readers.
                detached = new RingReader?[session.Lanes.Length];
                for (int i = 0; i < detached.Length; i++) detached[i] = session.Lanes[i].Reader;
            }
        }

        if (owned && (!keep || session.Cursor.Reader is null)) _context.Sessions.End(session);
        // A detached session is no live reader: the ring keeps its events for their age (session_ttl_seconds), not for
        // as long as the session waits (docs/architecture.md, "Ring memory"). Its position stays readable for RESUME.
        else if (detached is not null)
        {
            foreach (RingReader? reader in detached) reader?.Dispose();
        }
    }

    /// <summary>Lets the close frame reach the peer: complete output (the send loop drains it, then shuts down the send side)
    /// and wait, bounded, for the peer to close its side or answer with its own close frame.</summary>
    private async Task FinishTransportAsync()
    {
        try
        {
            await _transport.Output.CompleteAsync().ConfigureAwait(false);
        }
        catch (InvalidOperationException)
        {
            // Already completed by the send loop.
        }

        using var timeout = new CancellationTokenSource(_context.Options.CloseTimeout);
        PipeReader input = _transport.Input;
        var sink = new ArrayBufferWriter<byte>(256);
        // A client that closed first only has to end TCP; one in a broken frame state is drained blindly.
        bool discard = _peerClosed || _frames.Error != WebSocketError.None;
        try
        {
            while (true)
            {
                ReadResult result = await input.ReadAsync(timeout.Token).ConfigureAwait(false);
                ReadOnlySequence<byte> buffer = result.Buffer;
                bool done = result.IsCompleted;
                // After our close, only the peer's close frame matters: it proves ours arrived. Everything else is read
                // and dropped: closing a socket with unread input makes the kernel send RST, which can destroy our close
                // frame before the peer reads it.
                while (!done && !discard)
                {
                    WebSocketReadStatus status = _frames.TryRead(ref buffer, sink);
                    sink.ResetWrittenCount();
                    if (status == WebSocketReadStatus.NeedMoreData) break;
                    if (status == WebSocketReadStatus.Error) discard = true;
                    else if (status == WebSocketReadStatus.Control && _frames.ControlOpcode == WebSocketOpcode.Close) done = true;
                }

                input.AdvanceTo(discard ? buffer.End : buffer.Start, buffer.End);
                if (done) break;
            }
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or System.Net.Sockets.SocketException or InvalidOperationException or ObjectDisposedException)
        {
            // Timed out or the socket is gone: either way nothing more can be delivered.
        }

        try
        {
            await input.CompleteAsync().ConfigureAwait(false);
        }
        catch (InvalidOperationException)
        {
            // Already completed.
        }
    }
}
