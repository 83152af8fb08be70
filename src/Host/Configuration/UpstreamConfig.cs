using System.Text.Json.Serialization;

namespace GatewayProxy.Host.Configuration;

/// <summary>How the proxy talks to Discord (our field <c>upstream</c>).</summary>
/// <param name="ApiBaseUrl">REST base URL (GET /gateway/bot is called on it); point it at the Simulator for local runs.</param>
/// <param name="GatewayUrl">Gateway URL to connect to instead of the one /gateway/bot returns; null uses Discord's.</param>
/// <param name="Compression">Transport compression asked of Discord.</param>
/// <param name="IdentifyQueueUrl">An external identify queue (twilight gateway-queue HTTP protocol) shared by several processes; null uses the in-process queue.</param>
/// <param name="IdentifyMarginMs">Milliseconds the in-process queue adds to Discord's 5 s between two IDENTIFYs of one bucket.</param>
public sealed record UpstreamConfig(
    [property: JsonPropertyName("api_base_url")] string ApiBaseUrl = UpstreamConfig.DefaultApiBaseUrl,
    [property: JsonPropertyName("gateway_url")] string? GatewayUrl = null,
    [property: JsonPropertyName("compression")] UpstreamCompression Compression = UpstreamCompression.ZlibStream,
    [property: JsonPropertyName("identify_queue_url")] string? IdentifyQueueUrl = null,
    [property: JsonPropertyName("identify_margin_ms")] int IdentifyMarginMs = UpstreamConfig.DefaultIdentifyMarginMs)
{
    /// <summary>The default <c>identify_margin_ms</c>.</summary>
    public const int DefaultIdentifyMarginMs = 1000;

    /// <summary>The largest <c>identify_margin_ms</c>: one more interval.</summary>
    public const int MaxIdentifyMarginMs = 5000;

    /// <summary>The default REST base URL.</summary>
    public const string DefaultApiBaseUrl = "https://discord.com/api/v10";
}
