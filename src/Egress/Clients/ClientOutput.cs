using System.Buffers;
using System.IO.Pipelines;
using System.Runtime.CompilerServices;
using GatewayProxy.Egress.Buffers;
using GatewayProxy.Protocol.Compression;
using GatewayProxy.Protocol.Gateway;
using GatewayProxy.Protocol.WebSockets;
using GatewayProxy.Ring;
using Prometheus;

namespace GatewayProxy.Egress.Clients;

/// <summary>Everything written to one client goes through here: framing, the connection's compressor, and flushing
/// without ever blocking the writer.</summary>
/// <remarks>
/// Three parties write to a client (its read loop: HELLO, ACKs, closes; its session start: READY and GUILD_CREATEs; a relay
/// worker: live events), so writes take <see cref="SyncRoot"/>; the transport compressor is one stream context, so it must
/// see messages in wire order anyway. A flush that does not complete synchronously leaves the output "pending": later
/// writes are appended (they go out with the next flush) and nobody awaits it; its completion re-flushes what was appended
/// and wakes whoever relays to this client. One slow socket therefore never holds a worker.
/// </remarks>
internal sealed partial class ClientOutput
{
    private readonly Lock _lock = new();
    private readonly PipeWriter _writer;
    private readonly IMessageEncoder? _encoder;
    private readonly int _zlibLevel;
    private readonly Action _onFlushCompleted;
    private readonly PooledBufferWriter _coldScratch = new(256);
    private Counter.Child _bytes;
    private long _uncounted;
    private long _written;
    private bool _payloadCompression;
    private int _payloadThreshold;
    private bool _closed;
    private bool _faulted;
    private bool _flushPending;
    private ValueTask<FlushResult> _pendingFlush;
    private TaskCompletionSource? _flushedWaiter;
    private volatile RingSignal? _wake;

    public ClientOutput(PipeWriter writer, TransportCompression transport, Counter.Child bytes, int zlibLevel = 1, int zstdLevel = 3)
    {
        _writer = writer;
        Transport = transport;
        _zlibLevel = zlibLevel;
        _encoder = transport switch
        {
            TransportCompression.ZlibStream => new ZlibStreamEncoder(zlibLevel),
            TransportCompression.ZstdStream => new ZstdStreamEncoder(zstdLevel),
            _ => null,
        };
        _bytes = bytes;
        _onFlushCompleted = OnFlushCompleted;
    }

    /// <summary>The lock writers take (a relay worker holds it for a whole batch).</summary>
    public Lock SyncRoot => _lock;

    /// <summary>The transport compression asked for in the URL.</summary>
    public TransportCompression Transport { get; }

    /// <summary>True while a flush waits for the socket: the client is not keeping up.</summary>
    public bool IsFlushPending => Volatile.Read(ref _flushPending);

    /// <summary>True once a close frame was written or the transport failed: nothing more is sent.</summary>
    public bool IsClosed => Volatile.Read(ref _closed) || Volatile.Read(ref _faulted);

    /// <summary>True when the transport failed under a write or flush.</summary>
    public bool IsFaulted => Volatile.Read(ref _faulted);

    /// <summary>Bytes written to the transport so far (frames, after compression), as of the last commit; any thread may read it.</summary>
    public long Written => Volatile.Read(ref _written);

    /// <summary>Native memory of the compressor (0 without one).</summary>
    public long NativeMemoryEstimate => _encoder?.NativeMemoryEstimate ?? 0;

    /// <summary>The worker signal to set when a pending flush completes (null while no worker relays to this client).</summary>
    public RingSignal? WakeOnFlush
    {
        get => _wake;
        set => _wake = value;
    }

    /// <summary>Turns on IDENTIFY <c>compress: true</c> payload compression (ignored with transport compression).</summary>
    public void EnablePayloadCompression(int threshold, Counter.Child bytes)
    {
        lock (_lock)
        {
            if (_encoder is not null) return;
            _payloadCompression = true;
            _payloadThreshold = threshold;
            CountBytesLocked();
            _bytes = bytes;
        }
    }

    /// <summary>Sends one whole gateway payload and flushes; false when the output is closed.</summary>
    public bool TrySend(ReadOnlySpan<byte> json)
    {
        lock (_lock)
        {
            if (IsClosed) return false;
            if (!TryWriteMessageLocked(json, _coldScratch)) return false;
            CommitLocked();
            return !_faulted;
        }
    }

    /// <summary>Completes when no flush is pending (used by the session start, which may await).</summary>
    public Task WhenFlushedAsync()
    {
        lock (_lock)
        {
            if (!_flushPending || _faulted) return Task.CompletedTask;
            _flushedWaiter ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            return _flushedWaiter.Task;
        }
    }

    /// <summary>Writes a close frame (once) and flushes; nothing is sent after it.</summary>
    public bool TryWriteClose(ushort code, string reason)
    {
        lock (_lock)
        {
            if (IsClosed) return false;
            _closed = true;
            try
            {
                WebSocketFrameWriter.WriteClose(_writer, code, reason);
            }
            catch (Exception e) when (e is InvalidOperationException or ArgumentException or OutOfMemoryException)
            {
                // The socket's send loop completes the pipe's writer itself when a send fails, on its own thread: a
                // write racing that sees a completed writer or a span cut short (the frame itself always fits). Or the
                // heap is at its limit and the frame's buffer could not be had: the close must still go on.
                _faulted = true;
                return false;
            }

            CommitLocked();
            return true;
        }
    }

    /// <summary>Answers a ping (control frames are never compressed).</summary>
    public void TryWritePong(ReadOnlySpan<byte> payload)
    {
        lock (_lock)
        {
            if (IsClosed) return;
            try
            {
                WebSocketFrameWriter.WriteFrame(_writer, WebSocketOpcode.Pong, payload);
            }
            catch (Exception e) when (e is InvalidOperationException or ArgumentException)
            {
                // As in TryWriteClose: the send loop completed the writer under this write.
                _faulted = true;
                return;
            }

            CommitLocked();
        }
    }

    /// <summary>Writes one ring event with its <c>s</c> replaced by <paramref name="clientSeq"/>, committing the bytes only
    /// when the slot still holds <paramref name="ringSeq"/> afterwards (seqlock): a torn payload is never sent.</summary>
    /// <returns>False when the slot was overwritten while copying (nothing was written: the reader is overrun).</returns>
    /// <remarks>Caller holds <see cref="SyncRoot"/> and has checked the envelope's <c>s</c> range lies inside the payload.</remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool TryWriteSplicedLocked(RingReader reader, long ringSeq, ReadOnlySpan<byte> payload, in Envelope envelope, long clientSeq,
        PooledBufferWriter spliceScratch, PooledBufferWriter encodeScratch)
    {
        int length = SequenceSplice.GetLength(payload, envelope, clientSeq);
        if (_encoder is null && (!_payloadCompression || length <= _payloadThreshold))
        {
            // Straight into the socket's pipe: header, prefix, digits, suffix; Advance only after validation.
            int header = WebSocketFrameWriter.GetHeaderSize(length, masked: false);
            Span<byte> span;
            try
            {
                span = GetSpanLocked(header + length);
            }
            catch (InvalidOperationException)
            {
                _faulted = true;
                return reader.Validate(ringSeq);
            }

            WebSocketFrameWriter.WriteHeader(span, WebSocketOpcode.Text, fin: true, length);
            SequenceSplice.Write(span.Slice(header), payload, envelope, clientSeq);
            if (!reader.Validate(ringSeq)) return false;
            try
            {
                _writer.Advance(header + length);
            }
            catch (InvalidOperationException)
            {
                // The send loop completed the writer since GetSpan: the client is gone.
                _faulted = true;
                return true;
            }

            _uncounted += header + length;
            return true;
        }

        // A compressor's state cannot be rolled back: validate the copy before it sees a byte.
        spliceScratch.Reset();
        SequenceSplice.Write(spliceScratch.GetSpan(length), payload, envelope, clientSeq);
        spliceScratch.Advance(length);
        if (!reader.Validate(ringSeq)) return false;
        TryWriteMessageLocked(spliceScratch.WrittenSpan, encodeScratch);
        return true;
    }

    /// <summary>Writes one whole payload (caller holds <see cref="SyncRoot"/>); false when the transport failed.</summary>
    public bool TryWriteMessageLocked(ReadOnlySpan<byte> json, PooledBufferWriter scratch)
    {
        try
        {
            if (_encoder is not null)
            {
                scratch.Reset();
                _encoder.Encode(json, scratch);
                WriteFrameLocked(WebSocketOpcode.Binary, scratch.WrittenSpan);
            }
            else if (_payloadCompression && json.Length > _payloadThreshold)
            {
                scratch.Reset();
                ZlibPayload.Compress(json, scratch, _zlibLevel);
                WriteFrameLocked(WebSocketOpcode.Binary, scratch.WrittenSpan);
            }
            else
            {
                WriteFrameLocked(WebSocketOpcode.Text, json);
            }

            return true;
        }
        catch (InvalidOperationException)
        {
            // The send loop completed the pipe (socket gone): stop writing, the read side will notice too.
            _faulted = true;
            return false;
        }
    }

    /// <summary>Releases the compressor (after the connection ended).</summary>
    public void Dispose()
    {
        lock (_lock)
        {
            _closed = true;
            _encoder?.Dispose();
            _coldScratch.Dispose();
            CountBytesLocked();
        }
    }

    private void WriteFrameLocked(WebSocketOpcode opcode, ReadOnlySpan<byte> payload)
    {
        int header = WebSocketFrameWriter.GetHeaderSize(payload.Length, masked: false);
        Span<byte> span = GetSpanLocked(header + payload.Length);
        WebSocketFrameWriter.WriteHeader(span, opcode, fin: true, payload.Length);
        payload.CopyTo(span.Slice(header));
        _writer.Advance(header + payload.Length);
        _uncounted += header + payload.Length;
    }

    /// <summary>A span of at least <paramref name="size"/> bytes from the transport; throws InvalidOperationException (a dead
    /// transport, handled as faulted by every caller) when the send loop completed the writer, even mid-call.</summary>
    private Span<byte> GetSpanLocked(int size)
    {
        Span<byte> span = _writer.GetSpan(size);
        if (span.Length < size) ThrowTransportCompleted();
        return span;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ThrowTransportCompleted() => throw new InvalidOperationException("The transport's writer was completed while writing.");

    private void CountBytesLocked()
    {
        if (_uncounted == 0) return;
        Volatile.Write(ref _written, _written + _uncounted);
        _bytes.Inc(_uncounted);
        _uncounted = 0;
    }
}
