namespace GatewayProxy.Ring;

/// <summary>A ring slot holding one payload and the producer's metadata about it.</summary>
/// <typeparam name="TMeta">What the producer learned about the payload (a blittable struct, copied by readers).</typeparam>
/// <remarks>Knows nothing of the payload's format. Readers copy <see cref="Meta"/> and read <see cref="Payload"/>, then
/// validate the slot's stamp (seqlock) before trusting either.</remarks>
public sealed class PayloadSlot<TMeta>
    where TMeta : struct
{
    /// <summary>Creates a slot whose payload buffer has <paramref name="inlineCapacity"/> bytes preallocated.</summary>
    public PayloadSlot(int inlineCapacity = SlotBuffer.DefaultInlineCapacity) => Payload = new SlotBuffer(inlineCapacity);

    /// <summary>The payload bytes (rewritten in place for every sequence that maps to this slot).</summary>
    public SlotBuffer Payload { get; }

    /// <summary>The producer's metadata for the payload; a field so readers can copy it without a call.</summary>
    public TMeta Meta;
}
