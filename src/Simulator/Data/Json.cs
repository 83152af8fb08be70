using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace GatewayProxy.Simulator.Data;

/// <summary>Small helpers to build Discord-shaped JSON nodes.</summary>
internal static class Json
{
    /// <summary>Writer options: compact, UTF-8 left as is (Discord does not escape non-ASCII).</summary>
    public static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, SkipValidation = true };

    /// <summary>A snowflake as Discord sends it: a JSON string.</summary>
    public static JsonNode Id(ulong id) => JsonValue.Create(id.ToString(CultureInfo.InvariantCulture));

    /// <summary>An ISO 8601 timestamp with microseconds and +00:00, as Discord writes them.</summary>
    public static string Timestamp(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'+00:00'", CultureInfo.InvariantCulture);

    /// <summary>The snowflake held by a node (string or number).</summary>
    public static ulong ToId(JsonNode? node) => node is JsonValue v && v.TryGetValue(out string? s) && ulong.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out var id) ? id
        : node is JsonValue n && n.TryGetValue(out ulong u) ? u : 0;

    /// <summary>The string value of <paramref name="obj"/>[<paramref name="key"/>] or null.</summary>
    public static string? Str(JsonObject obj, string key) => obj[key] is JsonValue v && v.TryGetValue(out string? s) ? s : null;

    /// <summary>Serializes a node compactly.</summary>
    public static byte[] ToBytes(JsonNode? node)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            if (node is null)
            {
                writer.WriteNullValue();
            }
            else
            {
                node.WriteTo(writer);
            }
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>A deep copy of an object.</summary>
    public static JsonObject Clone(JsonObject obj) => (JsonObject)obj.DeepClone();
}
