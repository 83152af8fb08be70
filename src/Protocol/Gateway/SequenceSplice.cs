using System.Buffers;
using System.Buffers.Text;
using System.Runtime.CompilerServices;

namespace GatewayProxy.Protocol.Gateway;

/// <summary>Rewrites the <c>s</c> value of a scanned payload: prefix, new digits, suffix — three copies, no allocation.</summary>
/// <remarks>A negative <c>newSeq</c> writes <c>null</c> (the envelope's own convention for "no sequence").</remarks>
public static class SequenceSplice
{
    /// <summary>Longest token we write: 19 digits of <see cref="long.MaxValue"/>.</summary>
    private const int MaxSeqBytes = 20;

    /// <summary>Length of the payload after replacing the <c>s</c> value with <paramref name="newSeq"/>.</summary>
    public static int GetLength(ReadOnlySpan<byte> payload, in Envelope envelope, long newSeq) =>
        envelope.SeqStart < 0 ? payload.Length : payload.Length - envelope.SeqLength + SeqTokenLength(newSeq);

    /// <summary>Writes the spliced payload into <paramref name="output"/>; an absent <c>s</c> copies the payload unchanged.</summary>
    public static void Write(IBufferWriter<byte> output, ReadOnlySpan<byte> payload, in Envelope envelope, long newSeq)
    {
        ArgumentNullException.ThrowIfNull(output);
        int length = GetLength(payload, envelope, newSeq);
        Span<byte> destination = output.GetSpan(length);
        if (destination.Length >= length)
        {
            Write(destination, payload, envelope, newSeq);
            output.Advance(length);
            return;
        }

        WriteInPieces(output, payload, envelope, newSeq);
    }

    /// <summary>Writes the spliced payload into <paramref name="destination"/> and returns the bytes written.</summary>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is shorter than <see cref="GetLength"/>.</exception>
    public static int Write(Span<byte> destination, ReadOnlySpan<byte> payload, in Envelope envelope, long newSeq)
    {
        if (!TryWrite(destination, payload, envelope, newSeq, out int written))
        {
            ThrowDestinationTooShort();
        }

        return written;
    }

    /// <summary>Writes the spliced payload when it fits in <paramref name="destination"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool TryWrite(Span<byte> destination, ReadOnlySpan<byte> payload, in Envelope envelope, long newSeq, out int written)
    {
        int seqStart = envelope.SeqStart;
        if (seqStart < 0)
        {
            written = payload.Length;
            return payload.TryCopyTo(destination);
        }

        ReadOnlySpan<byte> prefix = payload[..seqStart];
        ReadOnlySpan<byte> suffix = payload[(seqStart + envelope.SeqLength)..];
        if (destination.Length < prefix.Length + MaxSeqBytes + suffix.Length)
        {
            return TryWriteExact(destination, prefix, suffix, newSeq, out written);
        }

        // Room for any digits: format straight into place, no temporary.
        prefix.CopyTo(destination);
        int digits = FormatSeq(destination[prefix.Length..], newSeq);
        suffix.CopyTo(destination[(prefix.Length + digits)..]);
        written = prefix.Length + digits + suffix.Length;
        return true;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static bool TryWriteExact(Span<byte> destination, ReadOnlySpan<byte> prefix, ReadOnlySpan<byte> suffix, long newSeq, out int written)
    {
        Span<byte> token = stackalloc byte[MaxSeqBytes];
        int digits = FormatSeq(token, newSeq);
        written = prefix.Length + digits + suffix.Length;
        if (destination.Length < written)
        {
            written = 0;
            return false;
        }

        prefix.CopyTo(destination);
        token[..digits].CopyTo(destination[prefix.Length..]);
        suffix.CopyTo(destination[(prefix.Length + digits)..]);
        return true;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void WriteInPieces(IBufferWriter<byte> output, ReadOnlySpan<byte> payload, in Envelope envelope, long newSeq)
    {
        // For writers that cannot hand out one contiguous span of the whole payload.
        if (envelope.SeqStart < 0)
        {
            CopyTo(output, payload);
            return;
        }

        Span<byte> token = stackalloc byte[MaxSeqBytes];
        int digits = FormatSeq(token, newSeq);
        CopyTo(output, payload[..envelope.SeqStart]);
        CopyTo(output, token[..digits]);
        CopyTo(output, payload[(envelope.SeqStart + envelope.SeqLength)..]);
    }

    private static void CopyTo(IBufferWriter<byte> output, ReadOnlySpan<byte> source)
    {
        while (!source.IsEmpty)
        {
            Span<byte> span = output.GetSpan();
            int n = Math.Min(span.Length, source.Length);
            source[..n].CopyTo(span);
            output.Advance(n);
            source = source[n..];
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int FormatSeq(Span<byte> destination, long seq)
    {
        if (seq < 0)
        {
            "null"u8.CopyTo(destination);
            return 4;
        }

        _ = Utf8Formatter.TryFormat(seq, destination, out int written);
        return written;
    }

    private static int SeqTokenLength(long seq)
    {
        if (seq < 0)
        {
            return 4;
        }

        int digits = 1;
        ulong v = (ulong)seq;
        while (v >= 10000)
        {
            v /= 10000;
            digits += 4;
        }

        if (v >= 10)
        {
            digits += v >= 1000 ? 3 : v >= 100 ? 2 : 1;
        }

        return digits;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ThrowDestinationTooShort() => throw new ArgumentException("The destination is shorter than SequenceSplice.GetLength.", "destination");
}
