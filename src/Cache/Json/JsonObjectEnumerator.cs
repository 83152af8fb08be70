using System.Text.Json;
using GatewayProxy.Protocol.Gateway;

namespace GatewayProxy.Cache.Json;

/// <summary>Walks the top-level properties of one JSON object, exposing each name and the raw bytes of its value.</summary>
/// <remarks>
/// Mutable ref struct (do not copy): it wraps a <see cref="Utf8JsonReader"/>. Invalid JSON surfaces as the reader's
/// <see cref="JsonException"/>; the cache catches it once per event, so bad input never escapes the updater loop.
/// </remarks>
internal ref struct JsonObjectEnumerator
{
    private readonly ReadOnlySpan<byte> _json;
    private Utf8JsonReader _reader;
    private readonly int _start;
    private bool _done;

    /// <summary>Starts walking <paramref name="json"/>, which must be an object (else <see cref="JsonException"/>).</summary>
    public JsonObjectEnumerator(ReadOnlySpan<byte> json)
    {
        _json = json;
        _reader = new Utf8JsonReader(json, isFinalBlock: true, state: default);
        if (!_reader.Read() || _reader.TokenType != JsonTokenType.StartObject)
        {
            throw new JsonException("Expected a JSON object.");
        }

        _start = (int)_reader.TokenStartIndex;
        Name = default;
        Value = default;
        NameStart = 0;
        ValueKind = JsonTokenType.None;
        _done = false;
    }

    /// <summary>Walks the object <paramref name="reader"/> is on (its start token read), inside <paramref name="json"/>, the
    /// whole text that reader reads: a walk inside a bigger one, so each byte is tokenized once. Take <see cref="Reader"/> back after the walk.</summary>
    public JsonObjectEnumerator(scoped ref Utf8JsonReader reader, ReadOnlySpan<byte> json)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            throw new JsonException("Expected a JSON object.");
        }

        _json = json;
        _reader = reader;
        _start = (int)reader.TokenStartIndex;
        Name = default;
        Value = default;
        NameStart = 0;
        ValueKind = JsonTokenType.None;
        _done = false;
    }

    /// <summary>The text this enumerator's offsets (<see cref="NameStart"/>) are relative to.</summary>
    public readonly ReadOnlySpan<byte> Buffer => _json;

    /// <summary>The reader, past the object once <see cref="MoveNext"/> has returned false.</summary>
    public readonly Utf8JsonReader Reader => _reader;

    /// <summary>The whole object's text; valid once <see cref="MoveNext"/> has returned false.</summary>
    public readonly ReadOnlySpan<byte> Whole => _json[_start..(int)_reader.BytesConsumed];

    /// <summary>Walks to the end of the object (what is left of it is skipped, still checked).</summary>
    public void Finish()
    {
        while (MoveNext())
        {
        }
    }

    /// <summary>The current property name, raw (escapes not decoded; Discord never escapes keys).</summary>
    public ReadOnlySpan<byte> Name;

    /// <summary>Offset of <see cref="Name"/> inside the walked object.</summary>
    public int NameStart;

    /// <summary>The raw JSON text of the current value (strings keep their quotes).</summary>
    public ReadOnlySpan<byte> Value;

    /// <summary>The token type that starts the current value.</summary>
    public JsonTokenType ValueKind;

    /// <summary>Moves to the next property; false at the end of the object.</summary>
    public bool MoveNext()
    {
        if (_done || !_reader.Read() || _reader.TokenType != JsonTokenType.PropertyName)
        {
            _done = true;
            return false;
        }

        Name = _reader.ValueSpan;
        NameStart = (int)_reader.TokenStartIndex + 1;
        _reader.Read();
        ValueKind = _reader.TokenType;
        int start = (int)_reader.TokenStartIndex;
        if (ValueKind is JsonTokenType.StartObject or JsonTokenType.StartArray)
        {
            _reader.Skip();
        }

        Value = _json[start..(int)_reader.BytesConsumed];
        return true;
    }

    /// <summary>Finds the raw value of a top-level property (strings keep their quotes); false when absent or malformed.</summary>
    /// <remarks>Uses the protocol's structural scanner: it skips nested values with vectorized searches, far cheaper than a reader pass.</remarks>
    public static bool TryGet(ReadOnlySpan<byte> json, ReadOnlySpan<byte> name, out ReadOnlySpan<byte> value)
    {
        if (!EnvelopeScanner.TryFindProperty(json, name, out int start, out int length, out bool isString))
        {
            value = default;
            return false;
        }

        value = isString ? json.Slice(start - 1, length + 2) : json.Slice(start, length);
        return true;
    }
}
