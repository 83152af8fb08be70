using System.Buffers;

namespace GatewayProxy.Egress.Routing;

/// <summary>Puts a client's own nonce back into a reply (GUILD_MEMBERS_CHUNK <c>d.nonce</c>, RATE_LIMITED <c>d.meta.nonce</c>)
/// that carries the proxy's nonce, or removes the member when the client had sent none.</summary>
/// <remarks>Slow path (replies to one client's request): a copy with one range replaced. Pure; never throws on odd input.</remarks>
internal static class NonceRewriter
{
    /// <summary>Writes <paramref name="payload"/> with the string value whose content is [<paramref name="nonceStart"/>,
    /// +<paramref name="nonceLength"/>) replaced by <paramref name="replacementToken"/> (a raw JSON value), or with the whole
    /// <c>"key":value</c> member removed when <paramref name="replacementToken"/> is null.</summary>
    /// <returns>False when the range is not a quoted string inside an object member (nothing written).</returns>
    public static bool TryRestore(ReadOnlySpan<byte> payload, int nonceStart, int nonceLength, byte[]? replacementToken, IBufferWriter<byte> output)
    {
        int valueStart = nonceStart - 1;
        int valueEnd = nonceStart + nonceLength + 1; // exclusive, after the closing quote
        if (valueStart < 0 || nonceLength < 0 || valueEnd > payload.Length || payload[valueStart] != '"' || payload[valueEnd - 1] != '"')
        {
            return false;
        }

        if (replacementToken is not null)
        {
            output.Write(payload[..valueStart]);
            output.Write(replacementToken);
            output.Write(payload[valueEnd..]);
            return true;
        }

        if (!TryFindMemberRange(payload, valueStart, valueEnd, out int removeStart, out int removeEnd)) return false;
        output.Write(payload[..removeStart]);
        output.Write(payload[removeEnd..]);
        return true;
    }

    /// <summary>The range to delete for the member whose value is [valueStart, valueEnd), including one adjoining comma.</summary>
    private static bool TryFindMemberRange(ReadOnlySpan<byte> s, int valueStart, int valueEnd, out int start, out int end)
    {
        start = end = -1;
        int i = SkipBack(s, valueStart - 1);
        if (i < 0 || s[i] != ':') return false;
        i = SkipBack(s, i - 1);
        if (i < 0 || s[i] != '"') return false;
        // Opening quote of the key: the nearest unescaped quote before the closing one.
        int keyStart = i - 1;
        while (keyStart >= 0 && !(s[keyStart] == '"' && !IsEscaped(s, keyStart))) keyStart--;
        if (keyStart < 0) return false;
        int before = SkipBack(s, keyStart - 1);
        if (before < 0) return false;
        if (s[before] == ',')
        {
            start = before;
            end = valueEnd;
            return true;
        }

        if (s[before] != '{') return false;
        int after = SkipForward(s, valueEnd);
        if (after >= s.Length) return false;
        start = keyStart;
        end = s[after] == ',' ? after + 1 : valueEnd;
        return true;
    }

    private static bool IsEscaped(ReadOnlySpan<byte> s, int quote)
    {
        int backslashes = 0;
        for (int j = quote - 1; j >= 0 && s[j] == '\\'; j--) backslashes++;
        return (backslashes & 1) == 1;
    }

    private static int SkipBack(ReadOnlySpan<byte> s, int i)
    {
        while (i >= 0 && IsWhitespace(s[i])) i--;
        return i;
    }

    private static int SkipForward(ReadOnlySpan<byte> s, int i)
    {
        while (i < s.Length && IsWhitespace(s[i])) i++;
        return i;
    }

    private static bool IsWhitespace(byte b) => b is (byte)' ' or (byte)'\t' or (byte)'\n' or (byte)'\r';
}
