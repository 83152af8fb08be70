using System.Text.Json.Serialization;

namespace GatewayProxy.Host.Configuration;

/// <summary>Transport compression on the upstream (Discord) connections.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<UpstreamCompression>))]
public enum UpstreamCompression
{
    /// <summary><c>compress=zlib-stream</c> (the default: least bandwidth for Discord's traffic).</summary>
    [JsonStringEnumMemberName("zlib-stream")]
    ZlibStream,
    /// <summary><c>compress=zstd-stream</c>.</summary>
    [JsonStringEnumMemberName("zstd-stream")]
    ZstdStream,
    /// <summary>No transport compression.</summary>
    [JsonStringEnumMemberName("none")]
    None,
}
