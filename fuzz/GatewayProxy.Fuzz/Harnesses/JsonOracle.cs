using System.Runtime.InteropServices;
using System.Text.Json;
using GatewayProxy.Protocol.Gateway;

namespace GatewayProxy.Fuzz.Harnesses;

/// <summary>What System.Text.Json sees of a payload's envelope keys, as raw UTF-8 ranges (never decoded strings).</summary>
/// <remarks>
/// STJ throws on some inputs that are fine JSON to a byte scanner (lone-surrogate escapes when a name is compared, for
/// one): then <see cref="Abstain"/> is set and no claim is made. Duplicate keys are counted, not rejected, because
/// JsonDocument accepts them and the scanner must reject them.
/// </remarks>
public sealed class JsonOracle
{
    /// <summary>STJ parsed the payload (within the scanner's depth limit).</summary>
    public bool Parsed { get; private set; }

    /// <summary>STJ could not give a usable view; no claim is made.</summary>
    public bool Abstain { get; private set; }

    /// <summary>The root is an object.</summary>
    public bool IsObject { get; private set; }

    /// <summary>Occurrences of t, s, op, d.</summary>
    public int TCount { get; private set; }

    /// <inheritdoc cref="TCount"/>
    public int SCount { get; private set; }

    /// <inheritdoc cref="TCount"/>
    public int OpCount { get; private set; }

    /// <inheritdoc cref="TCount"/>
    public int DCount { get; private set; }

    /// <summary>Raw value bytes of the (last) t, s, op, d.</summary>
    public byte[]? T { get; private set; }

    /// <inheritdoc cref="T"/>
    public byte[]? S { get; private set; }

    /// <inheritdoc cref="T"/>
    public byte[]? Op { get; private set; }

    /// <inheritdoc cref="T"/>
    public byte[]? D { get; private set; }

    /// <summary>Kinds of the (last) t, s, op values.</summary>
    public JsonValueKind TKind { get; private set; }

    /// <inheritdoc cref="TKind"/>
    public JsonValueKind SKind { get; private set; }

    /// <inheritdoc cref="TKind"/>
    public JsonValueKind OpKind { get; private set; }

    /// <summary>Parses <paramref name="payload"/> with JsonDocument at the scanner's depth limit.</summary>
    public static JsonOracle Read(byte[] payload)
    {
        var oracle = new JsonOracle();
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(payload, new JsonDocumentOptions { MaxDepth = JsonSyntax.MaxDepth + 1 });
        }
        catch (JsonException)
        {
            return oracle;
        }

        using (document)
        {
            oracle.Parsed = true;
            try
            {
                oracle.Collect(document.RootElement);
            }
            catch (Exception e) when (e is InvalidOperationException or ArgumentException or JsonException)
            {
                oracle.Abstain = true;
            }
        }

        return oracle;
    }

    private void Collect(JsonElement root)
    {
        IsObject = root.ValueKind == JsonValueKind.Object;
        if (!IsObject)
        {
            return;
        }

        foreach (JsonProperty property in root.EnumerateObject())
        {
            byte[] raw = JsonMarshal.GetRawUtf8Value(property.Value).ToArray();
            if (property.NameEquals("t"u8))
            {
                TCount++;
                (T, TKind) = (raw, property.Value.ValueKind);
            }
            else if (property.NameEquals("s"u8))
            {
                SCount++;
                (S, SKind) = (raw, property.Value.ValueKind);
            }
            else if (property.NameEquals("op"u8))
            {
                OpCount++;
                (Op, OpKind) = (raw, property.Value.ValueKind);
            }
            else if (property.NameEquals("d"u8))
            {
                DCount++;
                D = raw;
            }
        }
    }

    /// <summary>True when the keys are unique and their values are what an envelope allows, so the scan must succeed.</summary>
    public bool IsValidEnvelope =>
        TCount <= 1 && SCount <= 1 && OpCount == 1 && DCount <= 1
        && IsPlainInteger(Op, allowMinus: true, out long op) && op is >= int.MinValue and <= int.MaxValue
        && (SCount == 0 || SKind == JsonValueKind.Null || IsPlainInteger(S, allowMinus: false, out _))
        && (TCount == 0 || TKind is JsonValueKind.Null or JsonValueKind.String);

    /// <summary>The op value (valid once <see cref="IsValidEnvelope"/>).</summary>
    public int OpValue => IsPlainInteger(Op, allowMinus: true, out long op) ? (int)op : 0;

    /// <summary>The s value, or -1 when absent or null.</summary>
    public long SeqValue => SCount == 1 && SKind == JsonValueKind.Number && IsPlainInteger(S, allowMinus: false, out long s) ? s : -1;

    /// <summary>An integer with no fraction or exponent that fits a long.</summary>
    private static bool IsPlainInteger(byte[]? raw, bool allowMinus, out long value)
    {
        value = 0;
        if (raw is null || raw.Length == 0)
        {
            return false;
        }

        int i = raw[0] == '-' && allowMinus ? 1 : 0;
        if (i == raw.Length || raw.AsSpan(i).ContainsAnyExceptInRange((byte)'0', (byte)'9'))
        {
            return false;
        }

        return long.TryParse(raw, System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out value);
    }
}
