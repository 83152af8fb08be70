namespace GatewayProxy.Protocol.Compression;

/// <summary>Transport compression a client asks for with the <c>compress=</c> query parameter.</summary>
public enum TransportCompression
{
    /// <summary>No transport compression: server messages are text frames.</summary>
    None,
    /// <summary>One zlib stream for the connection; each message is deflated and sync-flushed.</summary>
    ZlibStream,
    /// <summary>One zstd frame for the connection; each message is compressed and flushed.</summary>
    ZstdStream,
}
