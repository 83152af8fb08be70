using System.Buffers;

namespace GatewayProxy.Protocol.Compression;

/// <summary>
/// zlib-stream encoder: one deflate context per connection; each message is deflated and Z_SYNC_FLUSHed, so it
/// ends with 00 00 ff ff, and only the first message carries the zlib header. Allocation-free per message.
/// </summary>
public sealed class ZlibStreamEncoder : IMessageEncoder
{
    private readonly ZlibDeflater _deflater;

    /// <summary>Creates the connection's deflate context at zlib level <paramref name="level"/> (0–9).</summary>
    public ZlibStreamEncoder(int level = 6)
    {
        _deflater = new ZlibDeflater(level);
        Level = level;
    }

    /// <summary>The zlib compression level.</summary>
    public int Level { get; }

    /// <inheritdoc />
    public long NativeMemoryEstimate => ZlibNative.DeflateMemoryEstimate;

    /// <inheritdoc />
    public void Encode(ReadOnlySpan<byte> message, IBufferWriter<byte> output) => _deflater.Deflate(message, output, ZlibNative.SyncFlush);

    /// <inheritdoc />
    public void Dispose() => _deflater.Dispose();
}
