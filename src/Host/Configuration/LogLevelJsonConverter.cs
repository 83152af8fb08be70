using System.Text.Json;
using System.Text.Json.Serialization;
using GatewayProxy.Host.Logging;

namespace GatewayProxy.Host.Configuration;

/// <summary>Reads <c>log_level</c> with the same spellings the validator accepts ("warning" too), writes the canonical name.</summary>
public sealed class LogLevelJsonConverter : JsonConverter<ProxyLogLevel>
{
    /// <inheritdoc/>
    public override ProxyLogLevel Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        var name = reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
        return ProxyLogLevels.TryParse(name, out var level)
            ? level
            : throw new JsonException($"log_level must be {ProxyLogLevels.Accepted}");
    }

    /// <inheritdoc/>
    public override void Write(Utf8JsonWriter writer, ProxyLogLevel value, JsonSerializerOptions options) =>
        writer.WriteStringValue(value.ToConfigName());
}
