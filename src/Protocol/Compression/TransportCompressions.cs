namespace GatewayProxy.Protocol.Compression;

/// <summary>Maps <see cref="TransportCompression"/> to and from the gateway URL's <c>compress=</c> value.</summary>
public static class TransportCompressions
{
    /// <summary>Query value for zlib-stream.</summary>
    public const string ZlibStreamValue = "zlib-stream";

    /// <summary>Query value for zstd-stream.</summary>
    public const string ZstdStreamValue = "zstd-stream";

    /// <summary>The name of no compression in config (<c>upstream.compression</c>) and metric labels; never sent in a URL.</summary>
    public const string NoneName = "none";

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

    /// <summary>The <c>compress=</c> value for a compression; empty for <see cref="TransportCompression.None"/>, which a URL
    /// expresses by leaving <c>compress=</c> out (and <see cref="TryParse"/> reads back as None).</summary>
    public static string ToQueryValue(TransportCompression c) => c switch
    {
        TransportCompression.ZlibStream => ZlibStreamValue,
        TransportCompression.ZstdStream => ZstdStreamValue,
        _ => string.Empty,
    };

    /// <summary>The name config and metric labels use: the <c>compress=</c> value, or <see cref="NoneName"/> for none.</summary>
    public static string ToName(TransportCompression c) => c == TransportCompression.None ? NoneName : ToQueryValue(c);
}
