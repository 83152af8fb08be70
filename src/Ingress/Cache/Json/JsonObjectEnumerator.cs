using System.Text.Json;
using GatewayProxy.Protocol.Gateway;

namespace GatewayProxy.Ingress.Cache.Json;

/// <summary>Walks the top-level properties of one JSON object, exposing each name and the raw bytes of its value.</summary>
/// <remarks>
/// Mutable ref struct (do not copy). It walks with the protocol's structural scanner: nested values are skipped with
/// vectorized searches (strings exactly, brackets matched), not tokenized, so walking a GUILD_CREATE and then each of
/// its members does not read the members' bytes token by token over and over. The scanner checks structure, not every
/// scalar inside a skipped container: the cache validates each event whole once before walking it
/// (<see cref="JsonValue.IsValid"/>). A structural error surfaces as <see cref="JsonException"/>, which the cache
/// catches once per event, so bad input never escapes the updater loop.
/// </remarks>
internal ref struct JsonObjectEnumerator
{
    private readonly ReadOnlySpan<byte> _json;
    private int _pos;
    private bool _first;
    private bool _done;

    /// <summary>Starts walking <paramref name="json"/>, which must be an object (else <see cref="JsonException"/>).</summary>
    public JsonObjectEnumerator(ReadOnlySpan<byte> json)
    {
        _json = json;
        int p = JsonSyntax.SkipWhitespace(json, 0);
        if (p >= json.Length || json[p] != (byte)'{')
        {
            throw new JsonException("Expected a JSON object.");
        }

        _pos = p + 1;
        _first = true;
        _done = false;
        Name = default;
        Value = default;
        NameStart = 0;
    }

    /// <summary>The current property name, raw (escapes not decoded; Discord never escapes keys).</summary>
    public ReadOnlySpan<byte> Name;

    /// <summary>Offset of <see cref="Name"/> inside the walked object.</summary>
    public int NameStart;

    /// <summary>The raw JSON text of the current value (strings keep their quotes).</summary>
    public ReadOnlySpan<byte> Value;

    /// <summary>Moves to the next property; false at the end of the object.</summary>
    public bool MoveNext()
    {
        ReadOnlySpan<byte> s = _json;
        if (_done || !JsonWalk.TryNextItem(s, ref _pos, ref _first, (byte)'}'))
        {
            _done = true;
            return false;
        }

        int p = _pos;
        if (p >= s.Length || s[p] != (byte)'"' || !JsonSyntax.TryFindStringEnd(s, p + 1, out int closingQuote, out _))
        {
            throw JsonWalk.Malformed((byte)'}');
        }

        NameStart = p + 1;
        Name = s[(p + 1)..closingQuote];
        p = JsonSyntax.SkipWhitespace(s, closingQuote + 1);
        if (p >= s.Length || s[p] != (byte)':')
        {
            throw JsonWalk.Malformed((byte)'}');
        }

        _pos = JsonSyntax.SkipWhitespace(s, p + 1);
        Value = JsonWalk.SkipValue(s, ref _pos, (byte)'}');
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
