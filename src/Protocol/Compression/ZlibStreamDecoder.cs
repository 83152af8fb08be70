using System.Buffers;

namespace GatewayProxy.Protocol.Compression;

/// <summary>
/// zlib-stream decoder: one inflate context per connection. A payload is complete when the received data ends with
/// the sync-flush marker 00 00 ff ff; anything else is buffered (Discord may split a payload across messages).
/// </summary>
public sealed class ZlibStreamDecoder : IMessageDecoder
{
    private readonly ZlibInflater _inflater = new();
    private readonly int _maxOutputBytes;
    private readonly int _maxBufferedBytes;
    private byte[]? _pending;
    private int _pendingLength;
    private bool _ended;

    /// <summary>Creates the connection's inflate context; one payload may inflate to at most <paramref name="maxOutputBytes"/>.</summary>
    public ZlibStreamDecoder(int maxOutputBytes = 64 * 1024 * 1024)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxOutputBytes);
        _maxOutputBytes = maxOutputBytes;

        // Deflate never grows data by more than ~5 bytes per 16 KiB stored block, plus the wrapper.
        _maxBufferedBytes = (int)Math.Min(int.MaxValue - 64, maxOutputBytes + ((long)maxOutputBytes >> 10) + 64);
    }

    /// <inheritdoc />
    public string? Error { get; private set; }

    /// <summary>Bytes of native decompressor memory this context holds (for metrics).</summary>
    public static long NativeMemoryEstimate => ZlibNative.InflateMemoryEstimate;

    /// <summary>The zlib sync-flush marker that ends every zlib-stream payload.</summary>
    public static ReadOnlySpan<byte> SyncFlushSuffix => [0x00, 0x00, 0xFF, 0xFF];

    /// <inheritdoc />
    public DecodeStatus Decode(ReadOnlySpan<byte> message, IBufferWriter<byte> output)
    {
        if (Error is not null)
        {
            return DecodeStatus.Invalid;
        }

        if (_pendingLength == 0 && message.EndsWith(SyncFlushSuffix))
        {
            // The common case: a whole payload in one message, inflated straight from the caller's span.
            return Inflate(message, output);
        }

        if (message.IsEmpty && _pendingLength == 0)
        {
            return DecodeStatus.NeedMoreData;
        }

        if (!Append(message))
        {
            return Fail(DecodeErrors.TooLarge(_maxOutputBytes));
        }

        ReadOnlySpan<byte> buffered = _pending.AsSpan(0, _pendingLength);
        if (!buffered.EndsWith(SyncFlushSuffix))
        {
            return DecodeStatus.NeedMoreData;
        }

        DecodeStatus status = Inflate(buffered, output);
        ReleasePending();
        return status;
    }

    private DecodeStatus Inflate(ReadOnlySpan<byte> data, IBufferWriter<byte> output)
    {
        if (_ended)
        {
            return Fail(DecodeErrors.DataAfterEnd);
        }

        long total = 0;
        InflateResult result = _inflater.Inflate(data, output, _maxOutputBytes, ref total, out int unused, out string? error);
        switch (result)
        {
            case InflateResult.Ok:
                return DecodeStatus.Complete;
            case InflateResult.StreamEnd:
                // Discord never ends the stream; a peer that does must not send more in it.
                _ended = true;
                return unused == 0 ? DecodeStatus.Complete : Fail(DecodeErrors.DataAfterEnd);
            default:
                return Fail(error ?? "zlib: invalid compressed data");
        }
    }

    [System.Diagnostics.CodeAnalysis.MemberNotNullWhen(true, nameof(_pending))]
    private bool Append(ReadOnlySpan<byte> message)
    {
        long needed = (long)_pendingLength + message.Length;
        if (needed > _maxBufferedBytes)
        {
            return false;
        }

        if (_pending is null || _pending.Length < needed)
        {
            // Split payloads are rare: rent only then, and give the buffer back once the payload is whole.
            byte[] bigger = ArrayPool<byte>.Shared.Rent((int)Math.Max(needed, 4096));
            if (_pending is not null)
            {
                _pending.AsSpan(0, _pendingLength).CopyTo(bigger);
                ArrayPool<byte>.Shared.Return(_pending);
            }

            _pending = bigger;
        }

        message.CopyTo(_pending.AsSpan(_pendingLength));
        _pendingLength = (int)needed;
        return true;
    }

    private void ReleasePending()
    {
        if (_pending is not null)
        {
            ArrayPool<byte>.Shared.Return(_pending);
            _pending = null;
        }

        _pendingLength = 0;
    }

    private DecodeStatus Fail(string reason)
    {
        Error = reason;
        ReleasePending();
        return DecodeStatus.Invalid;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        ReleasePending();
        _inflater.Dispose();
    }
}
