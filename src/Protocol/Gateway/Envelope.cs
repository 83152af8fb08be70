using System.Runtime.InteropServices;

namespace GatewayProxy.Protocol.Gateway;

/// <summary>What one scan of a gateway payload found; offsets are byte offsets into that payload.</summary>
/// <remarks>Blittable on purpose: it lives in ring slot metadata next to the payload it describes.</remarks>
[StructLayout(LayoutKind.Sequential)]
public struct Envelope
{
    /// <summary>The <c>op</c> value.</summary>
    public int Op;
    /// <summary>The <c>s</c> value, or -1 when <c>s</c> is null or absent.</summary>
    public long Seq;
    /// <summary>Start of the <c>s</c> value token (digits or <c>null</c>); -1 when the key is absent.</summary>
    public int SeqStart;
    /// <summary>Length of the <c>s</c> value token.</summary>
    public int SeqLength;
    /// <summary>Start of the <c>t</c> string content (raw, escapes not decoded, no quotes); -1 when null or absent.</summary>
    public int TypeStart;
    /// <summary>Length of the <c>t</c> string content.</summary>
    public int TypeLength;
    /// <summary>Start of the <c>d</c> value (any JSON value); -1 when absent.</summary>
    public int DataStart;
    /// <summary>Length of the <c>d</c> value.</summary>
    public int DataLength;
    /// <summary>The interned <c>t</c>: <see cref="EventKind.None"/> when null or absent, <see cref="EventKind.Unknown"/> for names we do not know.</summary>
    public EventKind Kind;

    /// <summary>An envelope with every range marked absent.</summary>
    public static Envelope Empty => new()
    {
        Seq = -1,
        SeqStart = -1,
        TypeStart = -1,
        DataStart = -1,
    };

    /// <summary>True when the payload has an <c>s</c> key (its value may be null).</summary>
    public readonly bool HasSeq => SeqStart >= 0;

    /// <summary>True when the payload has a <c>d</c> key.</summary>
    public readonly bool HasData => DataStart >= 0;

    /// <summary>The raw <c>t</c> string content within <paramref name="payload"/> (empty when null or absent).</summary>
    public readonly ReadOnlySpan<byte> TypeName(ReadOnlySpan<byte> payload) => TypeStart < 0 ? default : payload.Slice(TypeStart, TypeLength);

    /// <summary>The raw <c>d</c> value within <paramref name="payload"/> (empty when absent).</summary>
    public readonly ReadOnlySpan<byte> Data(ReadOnlySpan<byte> payload) => DataStart < 0 ? default : payload.Slice(DataStart, DataLength);
}
