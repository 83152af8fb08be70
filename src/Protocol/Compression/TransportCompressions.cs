namespace GatewayProxy.Protocol.Compression;

/// <summary>Maps <see cref="TransportCompression"/> to and from the gateway URL's <c>compress=</c> value.</summary>
public static class TransportCompressions
{
    /// <summary>Query value for zlib-stream.</summary>
    public const string ZlibStreamValue = "zlib-stream";

    /// <summary>Query value for zstd-stream.</summary>
    public const string ZstdStreamValue = "zstd-stream";

    /// <summary>Parses a <c>compress=</c> value: null or empty is <see cref="TransportCompression.None"/>; unknown values are refused.</summary>
    public static bool TryParse(string? queryValue, out TransportCompression c)
    {
        if (string.IsNullOrEmpty(queryValue))
        {
            c = TransportCompression.None;
            return true;
        }

        // Exact, case-sensitive match: Discord only documents the lower-case spellings.
        if (string.Equals(queryValue, ZlibStreamValue, StringComparison.Ordinal))
        {
            c = TransportCompression.ZlibStream;
            return true;
        }

        if (string.Equals(queryValue, ZstdStreamValue, StringComparison.Ordinal))
        {
            c = TransportCompression.ZstdStream;
            return true;
        }

        c = TransportCompression.None;
        return false;
    }

    /// <summary>The <c>compress=</c> value for a compression; empty for <see cref="TransportCompression.None"/>.</summary>
    public static string ToQueryValue(TransportCompression c) => c switch
    {
        TransportCompression.ZlibStream => ZlibStreamValue,
        TransportCompression.ZstdStream => ZstdStreamValue,
        _ => string.Empty,
    };
}
