namespace GatewayProxy.Ring.Memory;

/// <summary>A payload ring slot: where its record lives in the shard's byte log, and when it was published.</summary>
/// <remarks>A record is the event's metadata followed by its payload bytes, contiguous in one block. Seqlock readers may
/// see the fields of two different writes: every use clamps, and the reader's validation rejects what it read.</remarks>
internal struct PayloadRef
{
    /// <summary>The block holding the record (an empty array before the slot's first publish).</summary>
    public byte[] Block;

    /// <summary>Offset of the record (its metadata) in <see cref="Block"/>.</summary>
    public int Offset;

    /// <summary>Payload bytes, after the metadata.</summary>
    public int Length;

    /// <summary><see cref="RingMemory.Now"/> when published: what age-based retention compares.</summary>
    public long Time;
}
