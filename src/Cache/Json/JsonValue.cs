using System.Buffers.Text;

namespace GatewayProxy.Cache.Json;

/// <summary>Small readers of raw JSON scalar values (as cut out by the enumerators).</summary>
internal static class JsonValue
{
    /// <summary>Reads a snowflake written as a JSON string (Discord's form) or a bare number.</summary>
    public static bool TryGetSnowflake(ReadOnlySpan<byte> raw, out ulong id)
    {
        if (raw.Length >= 2 && raw[0] == (byte)'"' && raw[^1] == (byte)'"')
        {
            raw = raw[1..^1];
        }

        return Utf8Parser.TryParse(raw, out id, out int consumed) && consumed == raw.Length && raw.Length > 0;
    }

    /// <summary>Reads a JSON integer.</summary>
    public static bool TryGetInt32(ReadOnlySpan<byte> raw, out int value) =>
        Utf8Parser.TryParse(raw, out value, out int consumed) && consumed == raw.Length && raw.Length > 0;

    /// <summary>True for the literal <c>null</c>.</summary>
    public static bool IsNull(ReadOnlySpan<byte> raw) => raw.SequenceEqual("null"u8);

    /// <summary>True for the literal <c>true</c>.</summary>
    public static bool IsTrue(ReadOnlySpan<byte> raw) => raw.SequenceEqual("true"u8);

    /// <summary>Reads the snowflake property <paramref name="name"/> of an object.</summary>
    public static bool TryGetSnowflakeProperty(ReadOnlySpan<byte> obj, ReadOnlySpan<byte> name, out ulong id)
    {
        if (JsonObjectEnumerator.TryGet(obj, name, out ReadOnlySpan<byte> raw))
        {
            return TryGetSnowflake(raw, out id);
        }

        id = 0;
        return false;
    }

    /// <summary>Reads <paramref name="json"/> to its end: throws <see cref="System.Text.Json.JsonException"/> when it is not valid JSON.</summary>
    public static void Validate(ReadOnlySpan<byte> json)
    {
        var reader = new System.Text.Json.Utf8JsonReader(json, isFinalBlock: true, state: default);
        while (reader.Read())
        {
        }
    }
}
