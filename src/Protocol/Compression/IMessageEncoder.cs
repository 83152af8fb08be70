using System.Buffers;

namespace GatewayProxy.Protocol.Compression;

/// <summary>
/// One transport compression context for a whole connection. Each <see cref="Encode"/> call is one
/// WebSocket message: compressed and flushed so the receiver can decode it given the previous ones.
/// Not thread-safe: one connection, one writer.
/// </summary>
public interface IMessageEncoder : IDisposable
{
    /// <summary>Compresses and flushes one message into <paramref name="output"/> (zlib: ends 00 00 ff ff; zstd: frame left open).</summary>
    void Encode(ReadOnlySpan<byte> message, IBufferWriter<byte> output);

    /// <summary>Bytes of native compressor memory this context holds (for metrics).</summary>
    long NativeMemoryEstimate { get; }
}
