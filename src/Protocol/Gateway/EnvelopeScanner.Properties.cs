namespace GatewayProxy.Protocol.Gateway;

public static partial class EnvelopeScanner
{
    /// <summary>Finds a top-level property of an object value (e.g. <c>guild_id</c> in <c>d</c>) without parsing the rest.</summary>
    /// <remarks>
    /// The first property of that name wins. Nested objects and strings are skipped, so a name inside them never matches.
    /// For a string value the range is its raw content without quotes; otherwise it is the raw token.
    /// </remarks>
    public static bool TryFindProperty(ReadOnlySpan<byte> jsonObject, ReadOnlySpan<byte> propertyName, out int valueStart, out int valueLength, out bool isString)
    {
        valueStart = -1;
        valueLength = 0;
        isString = false;

        ReadOnlySpan<byte> s = jsonObject;
        int pos = JsonSyntax.SkipWhitespace(s, 0);
        if (pos >= s.Length || s[pos] != '{')
        {
            return false;
        }

        pos = JsonSyntax.SkipWhitespace(s, pos + 1);
        if (pos < s.Length && s[pos] == '}')
        {
            return false;
        }

        while (true)
        {
            if (pos >= s.Length || s[pos] != '"' || !JsonSyntax.TryFindStringEnd(s, pos + 1, out int keyEnd, out bool keyEscaped))
            {
                return false;
            }

            bool match = KeyEquals(s[(pos + 1)..keyEnd], keyEscaped, propertyName);
            pos = JsonSyntax.SkipWhitespace(s, keyEnd + 1);
            if (pos >= s.Length || s[pos] != ':')
            {
                return false;
            }

            pos = JsonSyntax.SkipWhitespace(s, pos + 1);
            int start = pos;
            if (!JsonSyntax.TrySkipValue(s, ref pos))
            {
                return false;
            }

            if (match)
            {
                isString = s[start] == '"';
                valueStart = isString ? start + 1 : start;
                valueLength = isString ? pos - start - 2 : pos - start;
                return true;
            }

            pos = JsonSyntax.SkipWhitespace(s, pos);
            if (pos >= s.Length || s[pos] != ',')
            {
                return false;
            }

            pos = JsonSyntax.SkipWhitespace(s, pos + 1);
        }
    }

    private static bool KeyEquals(ReadOnlySpan<byte> raw, bool escaped, ReadOnlySpan<byte> name)
    {
        if (!escaped)
        {
            return raw.SequenceEqual(name);
        }

        // An escaped key decodes to no more bytes than it has, so a buffer of name.Length + 1 tells "longer" apart.
        if (raw.Length < name.Length)
        {
            return false;
        }

        Span<byte> decoded = name.Length < 256 ? stackalloc byte[name.Length + 1] : new byte[name.Length + 1];
        return JsonSyntax.TryUnescape(raw, decoded, out int n) && decoded[..n].SequenceEqual(name);
    }

    /// <summary>Parses a snowflake id (1 to 20 ASCII digits, no sign, fits in 64 bits) as Discord sends them in strings.</summary>
    public static bool TryParseSnowflake(ReadOnlySpan<byte> digits, out ulong id)
    {
        id = 0;
        if (digits.IsEmpty || digits.Length > 20)
        {
            return false;
        }

        foreach (byte b in digits)
        {
            uint digit = (uint)(b - '0');
            if (digit > 9 || id > (ulong.MaxValue - digit) / 10)
            {
                id = 0;
                return false;
            }

            id = (id * 10) + digit;
        }

        return true;
    }
}
