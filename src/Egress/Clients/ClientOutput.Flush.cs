using System.IO.Pipelines;
using GatewayProxy.Ring;

namespace GatewayProxy.Egress.Clients;

/// <summary>Flushing: never awaited by a writer; a pending flush parks the client until its completion callback.</summary>
internal sealed partial class ClientOutput
{
    /// <summary>Flushes unless a flush is already pending (caller holds <see cref="SyncRoot"/>).</summary>
    public void CommitLocked()
    {
        CountBytesLocked();
        if (_flushPending || _faulted) return;
        ValueTask<FlushResult> flush;
        try
        {
            // Consumed exactly once: either now (completed) or by OnFlushCompleted after its continuation ran.
#pragma warning disable CA2012
            flush = _writer.FlushAsync();
#pragma warning restore CA2012
        }
        catch (InvalidOperationException)
        {
            _faulted = true;
            return;
        }

        if (flush.IsCompleted)
        {
            Observe(flush);
            return;
        }

        _flushPending = true;
        _pendingFlush = flush;
        // No closure, no state machine: the cached delegate runs on the pipe's writer scheduler (thread pool).
        flush.GetAwaiter().UnsafeOnCompleted(_onFlushCompleted);
    }

    private void Observe(ValueTask<FlushResult> flush)
    {
        try
        {
            // Only called for a completed flush (synchronously, or from its completion callback).
#pragma warning disable CA2012
            FlushResult result = flush.GetAwaiter().GetResult();
#pragma warning restore CA2012
            if (result.IsCompleted) _faulted = true; // the send loop stopped reading: the socket is gone
        }
        catch (Exception)
        {
            // Any failure of a flush means this client's transport is dead; nothing else. The completion callback runs
            // on the thread pool, where an escaping exception ends the whole process: the socket's send loop fails the
            // flush with a SocketException (EPIPE, ECONNRESET: not an IOException) when the peer vanished mid-send.
            _faulted = true;
        }
    }

    private void OnFlushCompleted()
    {
        RingSignal? wake;
        TaskCompletionSource? waiter = null;
        lock (_lock)
        {
            _flushPending = false;
            Observe(_pendingFlush);
            _pendingFlush = default;
            if (!_faulted && _writer.CanGetUnflushedBytes && _writer.UnflushedBytes > 0) CommitLocked();
            if (!_flushPending)
            {
                waiter = _flushedWaiter;
                _flushedWaiter = null;
            }

            wake = _wake;
        }

        waiter?.TrySetResult();
        wake?.Set();
    }
}
