using System.Buffers;
using System.Buffers.Text;
using System.Runtime.CompilerServices;

namespace GatewayProxy.Protocol.Gateway;

/// <summary>The few JSON grammar pieces the envelope scanner needs, on raw UTF-8 (RFC 8259), without allocating.</summary>
/// <remarks>
/// Containers are skipped structurally: strings are skipped exactly (escapes and control characters checked) and
/// brackets must match, but scalars nested inside a container are only delimited, not validated. Scalars at the
/// level being scanned are validated strictly.
/// </remarks>
internal static partial class JsonSyntax
{
    /// <summary>Deepest nesting a skipped value may have; the same as System.Text.Json's default.</summary>
    internal const int MaxDepth = 64;

    /// <summary>Bytes that end a run of plain string content: the quote, a backslash, or a control character.</summary>
    private static readonly SearchValues<byte> StringStops = SearchValues.Create(
        "\"\\\u0000\u0001\u0002\u0003\u0004\u0005\u0006\u0007\u0008\u0009\u000a\u000b\u000c\u000d\u000e\u000f\u0010\u0011\u0012\u0013\u0014\u0015\u0016\u0017\u0018\u0019\u001a\u001b\u001c\u001d\u001e\u001f"u8);

    /// <summary>Bytes that matter when skipping a container: strings start, containers open and close.</summary>
    private static readonly SearchValues<byte> ContainerStops = SearchValues.Create("\"{}[]"u8);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static bool IsWhitespace(byte b) => b is (byte)' ' or (byte)'\t' or (byte)'\n' or (byte)'\r';

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static bool IsDigit(byte b) => (uint)(b - '0') <= 9;

    /// <summary>The index of the first non-whitespace byte at or after <paramref name="pos"/> (or the length).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static int SkipWhitespace(ReadOnlySpan<byte> s, int pos)
    {
        while ((uint)pos < (uint)s.Length && IsWhitespace(s[pos]))
        {
            pos++;
        }

        return pos;
    }

    /// <summary>From the first content byte of a string, finds its closing quote; false on a bad escape, a control character or no end.</summary>
    internal static bool TryFindStringEnd(ReadOnlySpan<byte> s, int pos, out int closingQuote, out bool escaped)
    {
        escaped = false;
        while ((uint)pos <= (uint)s.Length)
        {
            int i = s.Slice(pos).IndexOfAny(StringStops);
            if (i < 0)
            {
                break;
            }

            pos += i;
            byte c = s[pos];
            if (c == '"')
            {
                closingQuote = pos;
                return true;
            }

            if (c != '\\' || !TrySkipEscape(s, ref pos))
            {
                break;
            }

            escaped = true;
        }

        closingQuote = -1;
        return false;
    }

    /// <summary>Skips one escape sequence; <paramref name="pos"/> is at the backslash.</summary>
    private static bool TrySkipEscape(ReadOnlySpan<byte> s, ref int pos)
    {
        if ((uint)(pos + 1) >= (uint)s.Length)
        {
            return false;
        }

        switch (s[pos + 1])
        {
            case (byte)'"' or (byte)'\\' or (byte)'/' or (byte)'b' or (byte)'f' or (byte)'n' or (byte)'r' or (byte)'t':
                pos += 2;
                return true;
            case (byte)'u':
                if (pos + 6 > s.Length || !TryParseHex4(s.Slice(pos + 2, 4), out _))
                {
                    return false;
                }

                pos += 6;
                return true;
            default:
                return false;
        }
    }

    /// <summary>Skips one value that starts exactly at <paramref name="pos"/>; false when it is malformed or truncated.</summary>
    internal static bool TrySkipValue(ReadOnlySpan<byte> s, ref int pos)
    {
        if ((uint)pos >= (uint)s.Length)
        {
            return false;
        }

        switch (s[pos])
        {
            case (byte)'"':
                if (!TryFindStringEnd(s, pos + 1, out int end, out _))
                {
                    return false;
                }

                pos = end + 1;
                return true;
            case (byte)'{' or (byte)'[':
                return TrySkipContainer(s, ref pos);
            case (byte)'t':
                return TrySkipLiteral(s, ref pos, "true"u8);
            case (byte)'f':
                return TrySkipLiteral(s, ref pos, "false"u8);
            case (byte)'n':
                return TrySkipLiteral(s, ref pos, "null"u8);
            default:
                return TrySkipNumber(s, ref pos);
        }
    }

    /// <summary>Skips an exact literal (<c>true</c>, <c>false</c>, <c>null</c>).</summary>
    internal static bool TrySkipLiteral(ReadOnlySpan<byte> s, ref int pos, ReadOnlySpan<byte> literal)
    {
        if (!s.Slice(pos).StartsWith(literal))
        {
            return false;
        }

        pos += literal.Length;
        return true;
    }

    /// <summary>Skips a number per the RFC 8259 grammar: <c>-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?</c>.</summary>
    internal static bool TrySkipNumber(ReadOnlySpan<byte> s, ref int pos)
    {
        int p = pos;
        if (p < s.Length && s[p] == '-')
        {
            p++;
        }

        if (p >= s.Length || !IsDigit(s[p]))
        {
            return false;
        }

        // A leading zero stands alone: "01" is two tokens, which the caller then rejects at the '1'.
        if (s[p++] != '0')
        {
            p = SkipDigits(s, p);
        }

        if (p < s.Length && s[p] == '.')
        {
            int fractionStart = ++p;
            p = SkipDigits(s, p);
            if (p == fractionStart)
            {
                return false;
            }
        }

        if (p < s.Length && (s[p] | 0x20) == 'e')
        {
            p++;
            if (p < s.Length && s[p] is (byte)'+' or (byte)'-')
            {
                p++;
            }

            int exponentStart = p;
            p = SkipDigits(s, p);
            if (p == exponentStart)
            {
                return false;
            }
        }

        pos = p;
        return true;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int SkipDigits(ReadOnlySpan<byte> s, int p)
    {
        while ((uint)p < (uint)s.Length && IsDigit(s[p]))
        {
            p++;
        }

        return p;
    }

    /// <summary>Skips an object or array that starts at <paramref name="pos"/>: strings exactly, brackets matched, scalars only delimited.</summary>
    internal static bool TrySkipContainer(ReadOnlySpan<byte> s, ref int pos)
    {
        // One bit per open level (1 = object) so a ']' cannot close a '{'.
        ulong objectBits = 0;
        int depth = 0;
        int p = pos;
        while (true)
        {
            byte c = s[p];
            if (c == '"')
            {
                if (!TryFindStringEnd(s, p + 1, out int end, out _))
                {
                    return false;
                }

                p = end + 1;
            }
            else if (c is (byte)'{' or (byte)'[')
            {
                if (depth == MaxDepth)
                {
                    return false;
                }

                objectBits = (objectBits << 1) | (c == '{' ? 1UL : 0UL);
                depth++;
                p++;
            }
            else
            {
                if (((objectBits & 1) != 0) != (c == '}'))
                {
                    return false;
                }

                objectBits >>= 1;
                p++;
                if (--depth == 0)
                {
                    pos = p;
                    return true;
                }
            }

            int next = s.Slice(p).IndexOfAny(ContainerStops);
            if (next < 0)
            {
                return false;
            }

            p += next;
        }
    }

    /// <summary>Reads an integer token (a valid JSON number with no fraction or exponent) into a long.</summary>
    /// <returns>The token is malformed (<c>null</c>), or whether it is an integer that fits.</returns>
    internal static bool? TryReadInteger(ReadOnlySpan<byte> s, ref int pos, out long value)
    {
        int start = pos;
        if (!TrySkipNumber(s, ref pos))
        {
            value = 0;
            return null;
        }

        ReadOnlySpan<byte> token = s[start..pos];
        // Utf8Parser stops at '.' or 'e', so "consumed the whole token" also means "no fraction or exponent".
        return Utf8Parser.TryParse(token, out value, out int consumed) && consumed == token.Length;
    }

    /// <summary>Parses four hex digits.</summary>
    internal static bool TryParseHex4(ReadOnlySpan<byte> hex, out int value)
    {
        value = 0;
        for (int i = 0; i < 4; i++)
        {
            int c = hex[i];
            int digit = c switch
            {
                >= '0' and <= '9' => c - '0',
                >= 'a' and <= 'f' => c - 'a' + 10,
                >= 'A' and <= 'F' => c - 'A' + 10,
                _ => -1,
            };
            if (digit < 0)
            {
                return false;
            }

            value = (value << 4) | digit;
        }

        return true;
    }
}
