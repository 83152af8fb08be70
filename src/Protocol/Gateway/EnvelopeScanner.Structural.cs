using System.Text.Json;

namespace GatewayProxy.Protocol.Gateway;

public static partial class EnvelopeScanner
{
    private enum EnvelopeKey
    {
        Other,
        T,
        S,
        Op,
        D,
    }

    /// <summary>Like <see cref="TryScan"/>, but also validates every byte of the payload as JSON (for untrusted input such as client commands).</summary>
    public static bool TryScanStrict(ReadOnlySpan<byte> payload, out Envelope envelope, out EnvelopeError error)
    {
        // Envelope errors are more specific than "invalid JSON", so they win when both apply.
        if (!ScanStructural(payload, out envelope, out error))
        {
            return false;
        }

        if (!IsValidJson(payload))
        {
            envelope = Envelope.Empty;
            error = EnvelopeError.InvalidJson;
            return false;
        }

        return true;
    }

    private static bool IsValidJson(ReadOnlySpan<byte> payload)
    {
        var reader = new Utf8JsonReader(payload, new JsonReaderOptions { MaxDepth = JsonSyntax.MaxDepth + 1 });
        try
        {
            while (reader.Read())
            {
            }

            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    /// <summary>The structural scan: any key order and whitespace, escaped keys, unknown keys; strict at the top level.</summary>
    internal static bool ScanStructural(ReadOnlySpan<byte> payload, out Envelope envelope, out EnvelopeError error)
    {
        envelope = Envelope.Empty;
        error = Scan(payload, ref envelope);
        if (error == EnvelopeError.None)
        {
            return true;
        }

        envelope = Envelope.Empty;
        return false;
    }

    private static EnvelopeError Scan(ReadOnlySpan<byte> s, ref Envelope envelope)
    {
        int pos = JsonSyntax.SkipWhitespace(s, 0);
        if (pos >= s.Length)
        {
            return EnvelopeError.InvalidJson;
        }

        if (s[pos] != '{')
        {
            return EnvelopeError.NotAnObject;
        }

        bool seenT = false, seenS = false, seenOp = false, seenD = false;
        pos = JsonSyntax.SkipWhitespace(s, pos + 1);
        if (pos < s.Length && s[pos] == '}')
        {
            pos++;
        }
        else
        {
            while (true)
            {
                if (pos >= s.Length || s[pos] != '"' || !JsonSyntax.TryFindStringEnd(s, pos + 1, out int keyEnd, out bool keyEscaped))
                {
                    return EnvelopeError.InvalidJson;
                }

                EnvelopeKey key = ClassifyKey(s[(pos + 1)..keyEnd], keyEscaped);
                pos = JsonSyntax.SkipWhitespace(s, keyEnd + 1);
                if (pos >= s.Length || s[pos] != ':')
                {
                    return EnvelopeError.InvalidJson;
                }

                pos = JsonSyntax.SkipWhitespace(s, pos + 1);
                if (pos >= s.Length)
                {
                    return EnvelopeError.InvalidJson;
                }

                EnvelopeError valueError = key switch
                {
                    EnvelopeKey.T => Once(ref seenT) ? ReadType(s, ref pos, ref envelope) : EnvelopeError.DuplicateKey,
                    EnvelopeKey.S => Once(ref seenS) ? ReadSeq(s, ref pos, ref envelope) : EnvelopeError.DuplicateKey,
                    EnvelopeKey.Op => Once(ref seenOp) ? ReadOp(s, ref pos, ref envelope) : EnvelopeError.DuplicateKey,
                    EnvelopeKey.D => Once(ref seenD) ? ReadData(s, ref pos, ref envelope) : EnvelopeError.DuplicateKey,
                    _ => JsonSyntax.TrySkipValue(s, ref pos) ? EnvelopeError.None : EnvelopeError.InvalidJson,
                };
                if (valueError != EnvelopeError.None)
                {
                    return valueError;
                }

                pos = JsonSyntax.SkipWhitespace(s, pos);
                if (pos >= s.Length)
                {
                    return EnvelopeError.InvalidJson;
                }

                if (s[pos] == '}')
                {
                    pos++;
                    break;
                }

                if (s[pos] != ',')
                {
                    return EnvelopeError.InvalidJson;
                }

                pos = JsonSyntax.SkipWhitespace(s, pos + 1);
            }
        }

        if (JsonSyntax.SkipWhitespace(s, pos) != s.Length)
        {
            return EnvelopeError.TrailingData;
        }

        return seenOp ? EnvelopeError.None : EnvelopeError.MissingOp;
    }

    private static bool Once(ref bool seen)
    {
        bool first = !seen;
        seen = true;
        return first;
    }

    private static EnvelopeKey ClassifyKey(ReadOnlySpan<byte> raw, bool escaped)
    {
        if (!escaped)
        {
            return ClassifyName(raw);
        }

        // "\u0073" is the key s to any parser, so it must be to us: decode (at most two bytes can match).
        Span<byte> decoded = stackalloc byte[2];
        return JsonSyntax.TryUnescape(raw, decoded, out int n) ? ClassifyName(decoded[..n]) : EnvelopeKey.Other;
    }

    private static EnvelopeKey ClassifyName(ReadOnlySpan<byte> name) => name.Length switch
    {
        1 => name[0] switch
        {
            (byte)'t' => EnvelopeKey.T,
            (byte)'s' => EnvelopeKey.S,
            (byte)'d' => EnvelopeKey.D,
            _ => EnvelopeKey.Other,
        },
        2 when name[0] == 'o' && name[1] == 'p' => EnvelopeKey.Op,
        _ => EnvelopeKey.Other,
    };

    private static EnvelopeError ReadType(ReadOnlySpan<byte> s, ref int pos, ref Envelope envelope)
    {
        if (s[pos] == 'n')
        {
            return JsonSyntax.TrySkipLiteral(s, ref pos, "null"u8) ? EnvelopeError.None : EnvelopeError.InvalidJson;
        }

        if (s[pos] != '"')
        {
            return EnvelopeError.InvalidType;
        }

        int start = pos + 1;
        if (!JsonSyntax.TryFindStringEnd(s, start, out int end, out bool escaped))
        {
            return EnvelopeError.InvalidJson;
        }

        envelope.TypeStart = start;
        envelope.TypeLength = end - start;
        envelope.Kind = escaped ? KindOfEscapedName(s[start..end]) : EventKinds.FromName(s[start..end]);
        pos = end + 1;
        return EnvelopeError.None;
    }

    private static EventKind KindOfEscapedName(ReadOnlySpan<byte> raw)
    {
        Span<byte> decoded = stackalloc byte[EventKinds.MaxNameLength];
        return JsonSyntax.TryUnescape(raw, decoded, out int n) ? EventKinds.FromName(decoded[..n]) : EventKind.Unknown;
    }

    private static EnvelopeError ReadSeq(ReadOnlySpan<byte> s, ref int pos, ref Envelope envelope)
    {
        int start = pos;
        if (s[pos] == 'n')
        {
            if (!JsonSyntax.TrySkipLiteral(s, ref pos, "null"u8))
            {
                return EnvelopeError.InvalidJson;
            }
        }
        else if (s[pos] == '-' || JsonSyntax.IsDigit(s[pos]))
        {
            bool? integer = JsonSyntax.TryReadInteger(s, ref pos, out long seq);
            if (integer is null)
            {
                return EnvelopeError.InvalidJson;
            }

            // -1 means "no sequence" in the envelope, so negative numbers cannot be told apart: reject them all.
            if (integer == false || seq < 0 || s[start] == '-')
            {
                return EnvelopeError.InvalidSeq;
            }

            envelope.Seq = seq;
        }
        else
        {
            return EnvelopeError.InvalidSeq;
        }

        envelope.SeqStart = start;
        envelope.SeqLength = pos - start;
        return EnvelopeError.None;
    }

    private static EnvelopeError ReadOp(ReadOnlySpan<byte> s, ref int pos, ref Envelope envelope)
    {
        if (s[pos] != '-' && !JsonSyntax.IsDigit(s[pos]))
        {
            return EnvelopeError.InvalidOp;
        }

        bool? integer = JsonSyntax.TryReadInteger(s, ref pos, out long op);
        if (integer is null)
        {
            return EnvelopeError.InvalidJson;
        }

        if (integer == false || op is < int.MinValue or > int.MaxValue)
        {
            return EnvelopeError.InvalidOp;
        }

        envelope.Op = (int)op;
        return EnvelopeError.None;
    }

    private static EnvelopeError ReadData(ReadOnlySpan<byte> s, ref int pos, ref Envelope envelope)
    {
        int start = pos;
        if (!JsonSyntax.TrySkipValue(s, ref pos))
        {
            return EnvelopeError.InvalidJson;
        }

        envelope.DataStart = start;
        envelope.DataLength = pos - start;
        return EnvelopeError.None;
    }
}
