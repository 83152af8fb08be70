using System.Text.Json.Serialization;

namespace GatewayProxy.Host.Configuration;

/// <summary>How the proxy talks to Discord (our field <c>upstream</c>).</summary>
public sealed record UpstreamConfig
{
    /// <summary>The default REST base URL.</summary>
    public const string DefaultApiBaseUrl = "https://discord.com/api/v10";

    /// <summary>REST base URL (GET /gateway/bot is called on it); point it at the Simulator for local runs.</summary>
    [JsonPropertyName("api_base_url")]
    public string ApiBaseUrl { get; init; } = DefaultApiBaseUrl;

    /// <summary>Gateway URL to connect to instead of the one /gateway/bot returns; null uses Discord's.</summary>
    [JsonPropertyName("gateway_url")]
    public string? GatewayUrl { get; init; }

    /// <summary>Transport compression asked of Discord.</summary>
    [JsonPropertyName("compression")]
    public UpstreamCompression Compression { get; init; } = UpstreamCompression.ZlibStream;

    /// <summary>An external identify queue (twilight gateway-queue HTTP protocol) shared by several processes; null uses the in-process queue.</summary>
    [JsonPropertyName("identify_queue_url")]
    public string? IdentifyQueueUrl { get; init; }
}
