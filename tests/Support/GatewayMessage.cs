using System.Text;
using System.Text.Json;

namespace GatewayProxy.Tests.Support;

/// <summary>One gateway payload as a client received it (decompressed), with its envelope fields read out.</summary>
public sealed class GatewayMessage
{
    /// <summary>Parses a payload's envelope; the bytes are kept as received.</summary>
    public GatewayMessage(byte[] json, bool binaryFrame)
    {
        Json = json;
        BinaryFrame = binaryFrame;
        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;
        Op = root.GetProperty("op").GetInt32();
        Seq = root.TryGetProperty("s", out var s) && s.ValueKind == JsonValueKind.Number ? s.GetInt64() : null;
        Type = root.TryGetProperty("t", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString() : null;
        Data = root.TryGetProperty("d", out var d) ? d.Clone() : default;
    }

    /// <summary>The payload JSON (after decompression).</summary>
    public byte[] Json { get; }

    /// <summary>True when it came in a binary frame (compressed).</summary>
    public bool BinaryFrame { get; }

    /// <summary><c>op</c>.</summary>
    public int Op { get; }

    /// <summary><c>s</c>, or null.</summary>
    public long? Seq { get; }

    /// <summary><c>t</c>, or null.</summary>
    public string? Type { get; }

    /// <summary><c>d</c>.</summary>
    public JsonElement Data { get; }

    /// <summary>The payload as text.</summary>
    public override string ToString() => Encoding.UTF8.GetString(Json);
}
