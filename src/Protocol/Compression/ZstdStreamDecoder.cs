using System.Buffers;
using ZstdSharp.Unsafe;

namespace GatewayProxy.Protocol.Compression;

/// <summary>
/// zstd-stream decoder: one zstd decompression context per connection. Each message is a flushed continuation of
/// one endless frame, so every message decodes completely on its own (given the previous ones).
/// </summary>
public sealed unsafe class ZstdStreamDecoder : IMessageDecoder
{
    private const int MinOutputSpan = 256;
    private const int MaxOutputHint = 64 * 1024;

    private readonly int _maxOutputBytes;
    private ZSTD_DCtx_s* _context;

    /// <summary>Creates the connection's zstd context; one message may decode to at most <paramref name="maxOutputBytes"/>.</summary>
    public ZstdStreamDecoder(int maxOutputBytes = 64 * 1024 * 1024)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxOutputBytes);
        _maxOutputBytes = maxOutputBytes;
        _context = Methods.ZSTD_createDCtx();
        if (_context is null)
        {
            throw new InvalidOperationException("ZSTD_createDCtx failed");
        }
    }

    ~ZstdStreamDecoder() => Release();

    /// <inheritdoc />
    public string? Error { get; private set; }

    /// <summary>Bytes of native decompressor memory this context holds (window and buffers; for metrics).</summary>
    public long NativeMemoryEstimate
    {
        get
        {
            ZSTD_DCtx_s* context = _context;
            return context is null ? 0 : (long)Methods.ZSTD_sizeof_DCtx(context);
        }
    }

    /// <inheritdoc />
    public DecodeStatus Decode(ReadOnlySpan<byte> message, IBufferWriter<byte> output)
    {
        if (Error is not null)
        {
            return DecodeStatus.Invalid;
        }

        ZSTD_DCtx_s* context = _context;
        ObjectDisposedException.ThrowIf(context is null, this);
        if (message.IsEmpty)
        {
            // Nothing to decode. Calling zstd anyway counts as "no forward progress", and after 16 such calls in a row
            // it fails the stream (ZSTD_error_noForwardProgress_inputEmpty): empty messages would kill a healthy one.
            return DecodeStatus.Complete;
        }

        int hint = (int)Math.Clamp((long)message.Length * 4, MinOutputSpan, MaxOutputHint);
        long total = 0;
        string? error = null;
        fixed (byte* src = message)
        {
            var input = new ZSTD_inBuffer_s { src = src, size = (nuint)message.Length, pos = 0 };
            while (true)
            {
                Span<byte> span = output.GetSpan(hint);

                // One byte past the limit is enough to know it was passed.
                int room = (int)Math.Min(span.Length, _maxOutputBytes - total + 1);
                nuint rc;
                nuint produced;
                fixed (byte* dst = span)
                {
                    var buffer = new ZSTD_outBuffer_s { dst = dst, size = (nuint)room, pos = 0 };
                    rc = Methods.ZSTD_decompressStream(context, &buffer, &input);
                    produced = buffer.pos;
                }

                output.Advance((int)produced);
                total += (long)produced;
                if (total > _maxOutputBytes)
                {
                    error = DecodeErrors.TooLarge(_maxOutputBytes);
                    break;
                }

                if (Methods.ZSTD_isError(rc))
                {
                    error = "zstd: " + Methods.ZSTD_getErrorName(rc);
                    break;
                }

                // All input taken and the output not filled: the decoder has flushed all it can.
                if (input.pos == input.size && (int)produced < room)
                {
                    break;
                }
            }
        }

        GC.KeepAlive(this);
        if (error is not null)
        {
            Error = error;
            return DecodeStatus.Invalid;
        }

        return DecodeStatus.Complete;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        Release();
        GC.SuppressFinalize(this);
    }

    private void Release()
    {
        ZSTD_DCtx_s* context = _context;
        if (context is not null)
        {
            _context = null;
            _ = Methods.ZSTD_freeDCtx(context);
        }
    }
}
