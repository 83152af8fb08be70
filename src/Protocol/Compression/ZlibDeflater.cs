using System.Buffers;
using System.Runtime.InteropServices;

namespace GatewayProxy.Protocol.Compression;

/// <summary>
/// A native deflate context with the zlib wrapper. Its <c>PAL_ZStream</c> lives in native memory so it never
/// needs pinning; the finalizer frees it if the owner forgets to dispose.
/// </summary>
internal sealed unsafe class ZlibDeflater : IDisposable
{
    // Smallest output span handed to deflate: zlib asks for more than 6 bytes of room on a sync flush,
    // else it may repeat the flush marker.
    private const int MinOutputSpan = 64;
    private const int MaxOutputHint = 64 * 1024;

    private ZlibNative.ZStream* _stream;

    /// <summary>Creates a deflate context at <paramref name="level"/> (0–9, or -1 for zlib's default 6).</summary>
    public ZlibDeflater(int level)
    {
        if (level is < -1 or > 9)
        {
            throw new ArgumentOutOfRangeException(nameof(level), level, "zlib level must be -1..9");
        }

        _stream = (ZlibNative.ZStream*)NativeMemory.AllocZeroed((nuint)sizeof(ZlibNative.ZStream));
        int rc = ZlibNative.DeflateInit2(_stream, level, ZlibNative.Deflated, ZlibNative.ZlibWindowBits, ZlibNative.DefaultMemLevel, ZlibNative.DefaultStrategy);
        if (rc != ZlibNative.Ok)
        {
            string reason = ZlibNative.Describe(*_stream, rc);
            Release();
            throw new InvalidOperationException("deflateInit2 failed: " + reason);
        }
    }

    ~ZlibDeflater() => Release();

    /// <summary>
    /// Deflates <paramref name="input"/> into <paramref name="output"/> and completes the given flush
    /// (<see cref="ZlibNative.SyncFlush"/> or <see cref="ZlibNative.Finish"/>).
    /// </summary>
    public void Deflate(ReadOnlySpan<byte> input, IBufferWriter<byte> output, int flush)
    {
        ZlibNative.ZStream* z = _stream;
        ObjectDisposedException.ThrowIf(z is null, this);
        Run(z, input, output, flush);
        GC.KeepAlive(this);
    }

    /// <summary>Deflates into <paramref name="output"/> with an initialised stream <paramref name="z"/> and completes the flush.</summary>
    internal static void Run(ZlibNative.ZStream* z, ReadOnlySpan<byte> input, IBufferWriter<byte> output, int flush)
    {
        // JSON deflates to well under half; start there and loop for the rest.
        int hint = Math.Clamp((input.Length >> 1) + MinOutputSpan, MinOutputSpan, MaxOutputHint);
        fixed (byte* inPtr = input)
        {
            z->NextIn = inPtr;
            z->AvailIn = (uint)input.Length;

            if (input.IsEmpty && flush == ZlibNative.SyncFlush)
            {
                // zlib skips a flush identical to the previous one when there is no new input, which would
                // leave an empty message without its 00 00 ff ff marker. A no-op Z_NO_FLUSH call resets that.
                PrimeEmptyFlush(z, output);
            }

            while (true)
            {
                Span<byte> span = output.GetSpan(hint);
                int rc;
                fixed (byte* outPtr = span)
                {
                    z->NextOut = outPtr;
                    z->AvailOut = (uint)span.Length;
                    rc = ZlibNative.Deflate(z, flush);
                }

                int written = span.Length - (int)z->AvailOut;
                output.Advance(written);

                if (rc == ZlibNative.StreamEnd)
                {
                    break;
                }

                if (rc is not (ZlibNative.Ok or ZlibNative.BufError))
                {
                    ThrowDeflateFailed(rc);
                }

                if (z->AvailIn == 0 && z->AvailOut != 0)
                {
                    // Sync flush: done when all input is taken and deflate stopped with room to spare.
                    // Finish: only Z_STREAM_END ends it; stopping short with room left would loop forever.
                    if (flush == ZlibNative.Finish)
                    {
                        ThrowDeflateFailed(rc);
                    }

                    break;
                }
            }

            z->NextIn = null;
            z->NextOut = null;
        }
    }

    private static void PrimeEmptyFlush(ZlibNative.ZStream* z, IBufferWriter<byte> output)
    {
        Span<byte> span = output.GetSpan(MinOutputSpan);
        fixed (byte* outPtr = span)
        {
            z->NextOut = outPtr;
            z->AvailOut = (uint)span.Length;
            int rc = ZlibNative.Deflate(z, ZlibNative.NoFlush);
            if (rc is not (ZlibNative.Ok or ZlibNative.BufError))
            {
                ThrowDeflateFailed(rc);
            }
        }

        // On a fresh stream this writes the zlib header.
        output.Advance(span.Length - (int)z->AvailOut);
    }

    [System.Diagnostics.CodeAnalysis.DoesNotReturn]
    private static void ThrowDeflateFailed(int rc) =>
        throw new InvalidOperationException("deflate failed with zlib code " + rc.ToString(System.Globalization.CultureInfo.InvariantCulture));

    /// <summary>Frees the native state.</summary>
    public void Dispose()
    {
        Release();
        GC.SuppressFinalize(this);
    }

    private void Release()
    {
        ZlibNative.ZStream* z = _stream;
        if (z is null)
        {
            return;
        }

        _stream = null;

        // DeflateEnd also frees the shim's own z_stream, even after a failed init.
        if (z->InternalState is not null)
        {
            _ = ZlibNative.DeflateEnd(z);
        }

        NativeMemory.Free(z);
    }
}
