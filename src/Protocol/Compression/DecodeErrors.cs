using System.Globalization;

namespace GatewayProxy.Protocol.Compression;

/// <summary>Reason texts shared by the decoders (built on the cold path only).</summary>
internal static class DecodeErrors
{
    /// <summary>Reason for a payload that would inflate past the limit.</summary>
    public static string TooLarge(long maxOutput) =>
        "decompressed payload too large (over " + maxOutput.ToString(CultureInfo.InvariantCulture) + " bytes)";

    /// <summary>Reason for bytes that follow the end of a zlib stream.</summary>
    public const string DataAfterEnd = "zlib: data after the end of the zlib stream";

    /// <summary>Reason for a payload-compressed zlib stream cut short.</summary>
    public const string Truncated = "zlib: stream ends before its Adler-32 trailer";
}
