using System.Text.Json;
using GatewayProxy.Protocol.Gateway;

namespace GatewayProxy.Ingress.Cache.Json;

/// <summary>Walks the elements of one JSON array, exposing the raw bytes of each element.</summary>
/// <remarks>
/// Mutable ref struct (do not copy). A <c>null</c> instead of an array walks as empty. Elements are skipped with the
/// protocol's structural scanner, as in <see cref="JsonObjectEnumerator"/> (which says what it checks and what not).
/// </remarks>
internal ref struct JsonArrayEnumerator
{
    private readonly ReadOnlySpan<byte> _json;
    private int _pos;
    private bool _first;
    private bool _done;

    /// <summary>Starts walking <paramref name="json"/>: an array, or <c>null</c> (empty); anything else throws <see cref="JsonException"/>.</summary>
    public JsonArrayEnumerator(ReadOnlySpan<byte> json)
    {
        _json = json;
        Current = default;
        _first = true;
        int p = JsonSyntax.SkipWhitespace(json, 0);
        if (p < json.Length && json[p] == (byte)'[')
        {
            _pos = p + 1;
            _done = false;
        }
        else if (json[p..].StartsWith("null"u8))
        {
            _pos = p;
            _done = true;
        }
        else
        {
            throw new JsonException("Expected a JSON array.");
        }
    }

    /// <summary>The raw JSON text of the current element.</summary>
    public ReadOnlySpan<byte> Current;

    /// <summary>Moves to the next element; false at the end of the array.</summary>
    public bool MoveNext()
    {
        if (_done || !JsonWalk.TryNextItem(_json, ref _pos, ref _first, (byte)']'))
        {
            _done = true;
            return false;
        }

        Current = JsonWalk.SkipValue(_json, ref _pos, (byte)']');
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
