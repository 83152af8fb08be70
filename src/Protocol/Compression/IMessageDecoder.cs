using System.Buffers;

namespace GatewayProxy.Protocol.Compression;

/// <summary>
/// One transport decompression context for a whole connection. Never throws on bad input: it
/// returns <see cref="DecodeStatus.Invalid"/> with a reason, and stays invalid afterwards.
/// Not thread-safe: one connection, one reader.
/// </summary>
public interface IMessageDecoder : IDisposable
{
    /// <summary>
    /// Feeds one received WebSocket message. On <see cref="DecodeStatus.Complete"/> the payload was written to
    /// <paramref name="output"/>; on <see cref="DecodeStatus.Invalid"/> whatever was written must be discarded.
    /// </summary>
    DecodeStatus Decode(ReadOnlySpan<byte> message, IBufferWriter<byte> output);

    /// <summary>Why the last <see cref="Decode"/> returned <see cref="DecodeStatus.Invalid"/>; null while valid.</summary>
    string? Error { get; }
}
