using System.Text.Json.Serialization;

namespace GatewayProxy.Host.Configuration;

/// <summary>How the proxy talks to Discord (our field <c>upstream</c>).</summary>
/// <param name="ApiBaseUrl">REST base URL (GET /gateway/bot is called on it); point it at the Simulator for local runs.</param>
/// <param name="GatewayUrl">Gateway URL to connect to instead of the one /gateway/bot returns; null uses Discord's.</param>
/// <param name="Compression">Transport compression asked of Discord.</param>
/// <param name="IdentifyQueueUrl">An external identify queue (twilight gateway-queue HTTP protocol) shared by several processes; null uses the in-process queue.</param>
public sealed record UpstreamConfig(
    [property: JsonPropertyName("api_base_url")] string ApiBaseUrl = UpstreamConfig.DefaultApiBaseUrl,
    [property: JsonPropertyName("gateway_url")] string? GatewayUrl = null,
    [property: JsonPropertyName("compression")] UpstreamCompression Compression = UpstreamCompression.ZlibStream,
    [property: JsonPropertyName("identify_queue_url")] string? IdentifyQueueUrl = null)
{
    /// <summary>The default REST base URL.</summary>
    public const string DefaultApiBaseUrl = "https://discord.com/api/v10";
}
