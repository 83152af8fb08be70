using System.Text.Json.Serialization;

namespace GatewayProxy.Host.Configuration;

/// <summary>The admin endpoints (our field <c>admin</c>): <c>POST /admin/reshard?shards=N</c>. Absent or null: disabled
/// everywhere. See docs/operations.md, "Virtual shards and resharding".</summary>
/// <param name="Listen">"ip:port" of a separate plain-http admin listener (serving /admin only); null serves /admin on the
/// client port. Either way the token is required.</param>
/// <param name="Token">The bearer token every admin request must carry (<c>Authorization: Bearer …</c>); at least 16 characters. Never logged.</param>
public sealed record AdminConfig(
    [property: JsonPropertyName("listen")] string? Listen = null,
    [property: JsonPropertyName("token")] string Token = "");
