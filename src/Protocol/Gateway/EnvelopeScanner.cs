using System.Buffers;
using System.Runtime.CompilerServices;

namespace GatewayProxy.Protocol.Gateway;

/// <summary>Finds <c>t</c>, <c>s</c>, <c>op</c> and <c>d</c> in a gateway payload in one pass, without parsing <c>d</c> or allocating.</summary>
public static partial class EnvelopeScanner
{
    /// <summary>Scans a payload: a fast path for Discord's compact wire order, a structural scan for anything else.</summary>
    /// <remarks>
    /// The fast path trusts its producer (Discord) for <c>d</c>: it checks the literal layout up to <c>"d":</c>, that the
    /// payload ends with <c>}</c> and that d's last byte closes what its first byte opened, and takes what lies between
    /// as <c>d</c> without reading it. Untrusted input (client commands) should use <see cref="TryScanStrict"/>, which
    /// validates every byte.
    /// </remarks>
    public static bool TryScan(ReadOnlySpan<byte> payload, out Envelope envelope, out EnvelopeError error)
    {
        if (TryScanFast(payload, out envelope))
        {
            error = EnvelopeError.None;
            return true;
        }

        return ScanStructural(payload, out envelope, out error);
    }

    /// <summary>The compact wire order <c>{"t":…,"s":N,"op":N,"d":…}</c> only; false means "use the structural scan", never "invalid".</summary>
    internal static bool TryScanFast(ReadOnlySpan<byte> payload, out Envelope envelope)
    {
        envelope = Envelope.Empty;
        if (!payload.StartsWith("{\"t\":"u8))
        {
            return false;
        }

        int pos = 5;
        if ((uint)pos >= (uint)payload.Length)
        {
            return false;
        }

        if (payload[pos] == '"')
        {
            int start = pos + 1;
            int end = start;
            // Event names are [A-Z0-9_] (lower case tolerated); anything else, escapes included, takes the careful path.
            while ((uint)end < (uint)payload.Length && IsPlainNameByte(payload[end]))
            {
                end++;
            }

            if ((uint)end >= (uint)payload.Length || payload[end] != '"')
            {
                return false;
            }

            envelope.TypeStart = start;
            envelope.TypeLength = end - start;
            envelope.Kind = EventKinds.FromName(payload[start..end]);
            pos = end + 1;
        }
        else if (payload.Slice(pos).StartsWith("null"u8))
        {
            pos += 4;
        }
        else
        {
            return false;
        }

        if (!payload.Slice(pos).StartsWith(",\"s\":"u8))
        {
            return false;
        }

        pos += 5;
        int seqStart = pos;
        if (payload.Slice(pos).StartsWith("null"u8))
        {
            pos += 4;
        }
        else if (TryReadPlainDigits(payload, ref pos, 19, out ulong seq) && seq <= long.MaxValue)
        {
            envelope.Seq = (long)seq;
        }
        else
        {
            return false;
        }

        envelope.SeqStart = seqStart;
        envelope.SeqLength = pos - seqStart;

        if (!payload.Slice(pos).StartsWith(",\"op\":"u8))
        {
            return false;
        }

        pos += 6;
        if (!TryReadPlainDigits(payload, ref pos, 9, out ulong op))
        {
            return false;
        }

        envelope.Op = (int)op;

        if (!payload.Slice(pos).StartsWith(",\"d\":"u8))
        {
            return false;
        }

        pos += 5;
        int last = payload.Length - 1;
        // d must be non-empty and carry no surrounding whitespace, so its range equals what the structural scan reports.
        if (last <= pos || payload[last] != '}' || JsonSyntax.IsWhitespace(payload[pos]) || JsonSyntax.IsWhitespace(payload[last - 1]))
        {
            return false;
        }

        ReadOnlySpan<byte> data = payload[pos..last];
        if (!DataEndsAsItStarts(data))
        {
            return false;
        }

        envelope.DataStart = pos;
        envelope.DataLength = data.Length;
        return true;
    }

    /// <summary>Cheap plausibility of the fast path's d: its last byte must close what its first byte opened (a scalar d is checked whole).</summary>
    /// <remarks>
    /// This sends truncated payloads, keys after d (duplicates!) and trailing values to the structural scan without
    /// reading d. It cannot see inside d: a truncation that still ends in the right bracket passes. Upstream is Discord;
    /// untrusted input goes through <see cref="TryScanStrict"/>.
    /// </remarks>
    private static bool DataEndsAsItStarts(ReadOnlySpan<byte> data) => data[0] switch
    {
        (byte)'{' => data[^1] == '}',
        (byte)'[' => data[^1] == ']',
        (byte)'"' => JsonSyntax.TryFindStringEnd(data, 1, out int end, out _) && end == data.Length - 1,
        (byte)'n' => data.SequenceEqual("null"u8),
        (byte)'t' => data.SequenceEqual("true"u8),
        (byte)'f' => data.SequenceEqual("false"u8),
        _ => data.Length <= 32 && !data.ContainsAnyExcept(NumberBytes),
    };

    private static readonly SearchValues<byte> NumberBytes = SearchValues.Create("0123456789-+.eE"u8);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool IsPlainNameByte(byte b) => (uint)((b | 0x20) - 'a') <= 'z' - 'a' || JsonSyntax.IsDigit(b) || b == '_';

    /// <summary>Reads 1 to <paramref name="maxDigits"/> (at most 19, so a ulong cannot overflow) digits with no leading zero, followed by a non-digit.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool TryReadPlainDigits(ReadOnlySpan<byte> s, ref int pos, int maxDigits, out ulong value)
    {
        value = 0;
        int p = pos;
        int limit = Math.Min(s.Length, p + maxDigits);
        while (p < limit && JsonSyntax.IsDigit(s[p]))
        {
            value = (value * 10) + (uint)(s[p] - '0');
            p++;
        }

        int count = p - pos;
        if (count == 0 || (count > 1 && s[pos] == '0') || (uint)p >= (uint)s.Length || JsonSyntax.IsDigit(s[p]))
        {
            return false;
        }

        pos = p;
        return true;
    }
}
