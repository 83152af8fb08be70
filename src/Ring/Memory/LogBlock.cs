using System.Buffers;

namespace GatewayProxy.Ring.Memory;

/// <summary>One block of a byte log: a pooled segment, or a dedicated array for a record larger than a segment.</summary>
internal struct LogBlock
{
    /// <summary>The bytes.</summary>
    public byte[] Array;

    /// <summary>The pooled segment that owns <see cref="Array"/>; null for a dedicated array from <see cref="ArrayPool{T}.Shared"/>.</summary>
    public IMemoryOwner<byte>? Segment;

    /// <summary>The newest sequence stored in the block (set when the writer moves on from it).</summary>
    public long LastSequence;

    /// <summary>Returns the bytes to their pool.</summary>
    public readonly void Free()
    {
        if (Segment is not null) Segment.Dispose();
        else ArrayPool<byte>.Shared.Return(Array);
    }
}
