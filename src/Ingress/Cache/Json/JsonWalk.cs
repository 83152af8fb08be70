using System.Text.Json;
using GatewayProxy.Protocol.Gateway;

namespace GatewayProxy.Ingress.Cache.Json;

/// <summary>The steps <see cref="JsonObjectEnumerator"/> and <see cref="JsonArrayEnumerator"/> share, on the protocol's structural scanner.</summary>
internal static class JsonWalk
{
    /// <summary>Moves <paramref name="pos"/> past whitespace and, after the first item, the comma, to the next member or
    /// element; false at <paramref name="close"/> (<c>}</c> or <c>]</c>). Anything else throws <see cref="JsonException"/>.</summary>
    public static bool TryNextItem(ReadOnlySpan<byte> s, ref int pos, ref bool first, byte close)
    {
        int p = JsonSyntax.SkipWhitespace(s, pos);
        if (p < s.Length && s[p] == close)
        {
            return false;
        }

        if (!first)
        {
            if (p >= s.Length || s[p] != (byte)',')
            {
                throw Malformed(close);
            }

            p = JsonSyntax.SkipWhitespace(s, p + 1);
        }

        first = false;
        pos = p;
        return true;
    }

    /// <summary>Skips the value starting at <paramref name="pos"/> and returns its raw bytes; a malformed one throws <see cref="JsonException"/>.</summary>
    public static ReadOnlySpan<byte> SkipValue(ReadOnlySpan<byte> s, scoped ref int pos, byte close)
    {
        int start = pos;
        if (!JsonSyntax.TrySkipValue(s, ref pos))
        {
            throw Malformed(close);
        }

        return s[start..pos];
    }

    /// <summary>The error for a malformed object (<paramref name="close"/> = <c>}</c>) or array.</summary>
    public static JsonException Malformed(byte close) => new(close == (byte)'}' ? "Malformed JSON object." : "Malformed JSON array.");
}
