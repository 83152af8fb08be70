using System.Text.Json.Serialization;

namespace GatewayProxy.Host.Configuration;

/// <summary>
/// Source-generated System.Text.Json metadata for <see cref="ProxyConfig"/> (no reflection at startup, trimming-safe).
/// It only maps JSON to the model: the strict checks and their messages are <see cref="ConfigValidator"/>'s.
/// </summary>
[JsonSourceGenerationOptions(
    ReadCommentHandling = System.Text.Json.JsonCommentHandling.Skip,
    AllowTrailingCommas = true,
    NumberHandling = JsonNumberHandling.Strict,
    UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow)]
[JsonSerializable(typeof(ProxyConfig))]
public sealed partial class ConfigJsonContext : JsonSerializerContext;
