using System.Buffers;

namespace GatewayProxy.Protocol.Compression;

/// <summary>
/// IDENTIFY <c>compress:true</c> payload compression: each large payload is an independent, complete zlib stream
/// (header, deflate data, Adler-32 trailer). Uses a stack-held native context: no managed allocation per call.
/// </summary>
public static unsafe class ZlibPayload
{
    /// <summary>Compresses <paramref name="payload"/> into one complete zlib stream at <paramref name="level"/> (0–9).</summary>
    public static void Compress(ReadOnlySpan<byte> payload, IBufferWriter<byte> output, int level = 6)
    {
        if (level is < -1 or > 9)
        {
            throw new ArgumentOutOfRangeException(nameof(level), level, "zlib level must be -1..9");
        }

        ZlibNative.ZStream z = default;
        int rc = ZlibNative.DeflateInit2(&z, level, ZlibNative.Deflated, ZlibNative.ZlibWindowBits, ZlibNative.DefaultMemLevel, ZlibNative.DefaultStrategy);
        try
        {
            if (rc != ZlibNative.Ok)
            {
                throw new InvalidOperationException("deflateInit2 failed: " + ZlibNative.Describe(z, rc));
            }

            ZlibDeflater.Run(&z, payload, output, ZlibNative.Finish);
        }
        finally
        {
            if (z.InternalState is not null)
            {
                _ = ZlibNative.DeflateEnd(&z);
            }
        }
    }

    /// <summary>
    /// Decompresses one complete zlib stream. A stream cut short, bytes after its end, bad data or output over
    /// <paramref name="maxOutputBytes"/> give <see cref="DecodeStatus.Invalid"/> with a reason; never throws on bad input.
    /// </summary>
    public static DecodeStatus TryDecompress(ReadOnlySpan<byte> compressed, IBufferWriter<byte> output, int maxOutputBytes, out string? error)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxOutputBytes);

        ZlibNative.ZStream z = default;
        int rc = ZlibNative.InflateInit2(&z, ZlibNative.ZlibWindowBits);
        try
        {
            if (rc != ZlibNative.Ok)
            {
                error = ZlibNative.Describe(z, rc);
                return DecodeStatus.Invalid;
            }

            long total = 0;
            InflateResult result = ZlibInflater.Run(&z, compressed, output, maxOutputBytes, ref total, out int unused, out error);
            switch (result)
            {
                case InflateResult.StreamEnd when unused == 0:
                    return DecodeStatus.Complete;
                case InflateResult.StreamEnd:
                    error = DecodeErrors.DataAfterEnd;
                    return DecodeStatus.Invalid;
                case InflateResult.Ok:
                    error = DecodeErrors.Truncated;
                    return DecodeStatus.Invalid;
                default:
                    error ??= "zlib: invalid compressed data";
                    return DecodeStatus.Invalid;
            }
        }
        finally
        {
            if (z.InternalState is not null)
            {
                _ = ZlibNative.InflateEnd(&z);
            }
        }
    }
}
