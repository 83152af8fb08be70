using System.Buffers;
using System.Runtime.InteropServices;

namespace GatewayProxy.Protocol.Compression;

/// <summary>A native inflate context expecting the zlib wrapper; its <c>PAL_ZStream</c> lives in native memory.</summary>
internal sealed unsafe class ZlibInflater : IDisposable
{
    private const int MinOutputSpan = 256;
    private const int MaxOutputHint = 64 * 1024;

    private ZlibNative.ZStream* _stream;

    /// <summary>Creates an inflate context for a zlib-wrapped stream with up to a 32 KiB window.</summary>
    public ZlibInflater()
    {
        _stream = (ZlibNative.ZStream*)NativeMemory.AllocZeroed((nuint)sizeof(ZlibNative.ZStream));
        int rc = ZlibNative.InflateInit2(_stream, ZlibNative.ZlibWindowBits);
        if (rc != ZlibNative.Ok)
        {
            string reason = ZlibNative.Describe(*_stream, rc);
            Release();
            throw new InvalidOperationException("inflateInit2 failed: " + reason);
        }
    }

    ~ZlibInflater() => Release();

    /// <summary>
    /// Inflates all of <paramref name="input"/> into <paramref name="output"/>, counting into <paramref name="total"/>
    /// and failing once it would pass <paramref name="maxOutput"/>. <paramref name="unusedInput"/> is what follows a stream end.
    /// </summary>
    public InflateResult Inflate(ReadOnlySpan<byte> input, IBufferWriter<byte> output, long maxOutput, ref long total, out int unusedInput, out string? error)
    {
        ZlibNative.ZStream* z = _stream;
        ObjectDisposedException.ThrowIf(z is null, this);
        InflateResult result = Run(z, input, output, maxOutput, ref total, out unusedInput, out error);
        GC.KeepAlive(this);
        return result;
    }

    /// <summary>Inflates with an initialised stream <paramref name="z"/>; see <see cref="Inflate"/>.</summary>
    internal static InflateResult Run(ZlibNative.ZStream* z, ReadOnlySpan<byte> input, IBufferWriter<byte> output, long maxOutput, ref long total, out int unusedInput, out string? error)
    {
        // Text deflates ~4-10x; start with a span that usually holds it all, loop for the rest.
        int hint = (int)Math.Clamp((long)input.Length * 4, MinOutputSpan, MaxOutputHint);
        InflateResult result;
        error = null;
        fixed (byte* inPtr = input)
        {
            z->NextIn = inPtr;
            z->AvailIn = (uint)input.Length;
            while (true)
            {
                Span<byte> span = output.GetSpan(hint);

                // One byte past the limit is enough to know it was passed.
                int room = (int)Math.Min(span.Length, maxOutput - total + 1);
                int rc;
                fixed (byte* outPtr = span)
                {
                    z->NextOut = outPtr;
                    z->AvailOut = (uint)room;
                    rc = ZlibNative.Inflate(z, ZlibNative.SyncFlush);
                }

                int produced = room - (int)z->AvailOut;
                output.Advance(produced);
                total += produced;
                if (total > maxOutput)
                {
                    error = DecodeErrors.TooLarge(maxOutput);
                    result = InflateResult.Error;
                    break;
                }

                if (rc == ZlibNative.StreamEnd)
                {
                    result = InflateResult.StreamEnd;
                    break;
                }

                if (rc == ZlibNative.Ok || (rc == ZlibNative.BufError && z->AvailOut == 0))
                {
                    if (z->AvailIn == 0 && z->AvailOut != 0)
                    {
                        result = InflateResult.Ok;
                        break;
                    }

                    continue;
                }

                if (rc == ZlibNative.BufError && z->AvailIn == 0)
                {
                    // No progress possible without more input: everything this input yields is out.
                    result = InflateResult.Ok;
                    break;
                }

                error = ZlibNative.Describe(*z, rc);
                result = InflateResult.Error;
                break;
            }

            unusedInput = (int)z->AvailIn;
            z->NextIn = null;
            z->NextOut = null;
        }

        return result;
    }

    /// <summary>Makes the context ready for a new zlib stream without freeing its memory.</summary>
    public void Reset()
    {
        ZlibNative.ZStream* z = _stream;
        ObjectDisposedException.ThrowIf(z is null, this);
        int rc = ZlibNative.InflateReset2(z, ZlibNative.ZlibWindowBits);
        if (rc != ZlibNative.Ok)
        {
            throw new InvalidOperationException("inflateReset2 failed: " + ZlibNative.Describe(*z, rc));
        }

        GC.KeepAlive(this);
    }

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

        // InflateEnd also frees the shim's own z_stream, even after a failed init.
        if (z->InternalState is not null)
        {
            _ = ZlibNative.InflateEnd(z);
        }

        NativeMemory.Free(z);
    }
}
