namespace GatewayProxy.Ring;

/// <summary>Encoding of slot stamps: a slot's stamp is the sequence it holds, or a "being written" mark.</summary>
public static class RingStamp
{
    // Writing marks are long.MinValue + sequence: far below every initial stamp (index - size >= -2^30)
    // and every real sequence (>= 0), so the three kinds never collide.
    private const long WritingBase = long.MinValue;

    /// <summary>The stamp the producer sets while it rewrites the slot for <paramref name="sequence"/>.</summary>
    public static long Writing(long sequence) => WritingBase + sequence;

    /// <summary>True when <paramref name="stamp"/> marks a slot that is being written.</summary>
    public static bool IsWriting(long stamp) => stamp < int.MinValue;

    /// <summary>The sequence a stamp refers to (published or being written).</summary>
    public static long SequenceOf(long stamp) => IsWriting(stamp) ? stamp - WritingBase : stamp;
}
