namespace GatewayProxy.Protocol.Compression;

/// <summary>Creates the per-connection encoder/decoder for a <see cref="TransportCompression"/>.</summary>
public static class MessageCodecs
{
    /// <summary>A new encoder with default settings, or null for <see cref="TransportCompression.None"/>.</summary>
    public static IMessageEncoder? CreateEncoder(TransportCompression c) => c switch
    {
        TransportCompression.ZlibStream => new ZlibStreamEncoder(),
        TransportCompression.ZstdStream => new ZstdStreamEncoder(),
        _ => null,
    };

    /// <summary>A new decoder with default limits, or null for <see cref="TransportCompression.None"/>.</summary>
    public static IMessageDecoder? CreateDecoder(TransportCompression c) => c switch
    {
        TransportCompression.ZlibStream => new ZlibStreamDecoder(),
        TransportCompression.ZstdStream => new ZstdStreamDecoder(),
        _ => null,
    };
}
