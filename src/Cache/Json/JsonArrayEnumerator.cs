using System.Text.Json;

namespace GatewayProxy.Cache.Json;

/// <summary>Walks the elements of one JSON array, exposing the raw bytes of each element.</summary>
/// <remarks>Mutable ref struct (do not copy). A <c>null</c> instead of an array walks as empty.</remarks>
internal ref struct JsonArrayEnumerator
{
    private readonly ReadOnlySpan<byte> _json;
    private Utf8JsonReader _reader;
    private bool _done;

    /// <summary>Starts walking <paramref name="json"/>: an array, or <c>null</c> (empty); anything else throws <see cref="JsonException"/>.</summary>
    public JsonArrayEnumerator(ReadOnlySpan<byte> json)
    {
        _json = json;
        _reader = new Utf8JsonReader(json, isFinalBlock: true, state: default);
        Current = default;
        ValueKind = JsonTokenType.None;
        if (!_reader.Read())
        {
            throw new JsonException("Expected a JSON array.");
        }

        _done = _reader.TokenType == JsonTokenType.Null;
        if (!_done && _reader.TokenType != JsonTokenType.StartArray)
        {
            throw new JsonException("Expected a JSON array.");
        }
    }

    /// <summary>The raw JSON text of the current element.</summary>
    public ReadOnlySpan<byte> Current;

    /// <summary>The token type that starts the current element.</summary>
    public JsonTokenType ValueKind;

    /// <summary>Moves to the next element; false at the end of the array.</summary>
    public bool MoveNext()
    {
        if (_done || !_reader.Read() || _reader.TokenType == JsonTokenType.EndArray)
        {
            _done = true;
            return false;
        }

        ValueKind = _reader.TokenType;
        int start = (int)_reader.TokenStartIndex;
        if (ValueKind is JsonTokenType.StartObject or JsonTokenType.StartArray)
        {
            _reader.Skip();
        }

        Current = _json[start..(int)_reader.BytesConsumed];
        return true;
    }

    /// <summary>True when <paramref name="json"/> is an array with at least one element (compact or not).</summary>
    public static bool IsNonEmptyArray(ReadOnlySpan<byte> json)
    {
        if (json.Length < 2 || json[0] != (byte)'[')
        {
            return false;
        }

        ReadOnlySpan<byte> inner = json[1..].TrimStart(" \t\r\n"u8);
        return inner.Length > 0 && inner[0] != (byte)']';
    }

    /// <summary>How many elements the array <paramref name="json"/> has (one skipping pass, to size what is built from it).</summary>
    public static int Count(ReadOnlySpan<byte> json)
    {
        int count = 0;
        var e = new JsonArrayEnumerator(json);
        while (e.MoveNext())
        {
            count++;
        }

        return count;
    }
}
