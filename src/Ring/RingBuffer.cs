using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace GatewayProxy.Ring;

/// <summary>A Disruptor-style ring: power-of-two slots allocated once, a single producer that claims, writes in place
/// and publishes, gating readers that never lose an event, and non-gating readers that detect their own overrun.</summary>
/// <typeparam name="T">The slot type (mutable, reused for every sequence that maps to it).</typeparam>
/// <remarks>The memory-ordering argument is on <see cref="RingSequencer"/>.</remarks>
public sealed class RingBuffer<T> : SequencedRing
    where T : class
{
    private readonly T[] _slots;

    /// <summary>Creates a ring of <paramref name="size"/> slots (a power of two), each made once by
    /// <paramref name="slotFactory"/> from its index.</summary>
    public RingBuffer(int size, Func<long, T> slotFactory, RingOptions? options = null)
        : base(size, options)
    {
        ArgumentNullException.ThrowIfNull(slotFactory);
        _slots = new T[size];
        for (int i = 0; i < size; i++) _slots[i] = slotFactory(i) ?? ThrowNullSlot(i);
    }

    /// <summary>The oldest sequence the ring may still hold (Cursor - Size + 1, at least 0).</summary>
    public long OldestAvailable => Math.Max(0, Sequencer.Cursor - Size + 1);

    /// <summary>The slot object for <paramref name="sequence"/> (index = sequence &amp; (Size - 1)).</summary>
    public T this[long sequence]
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_slots), (nint)(sequence & Sequencer.Mask));
    }

    /// <summary>Publishes a claimed sequence (in claim order): sets its stamp, advances the cursor, wakes waiters.
    /// Allocation-free; one flag check when nobody waits.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Publish(long sequence) => Sequencer.Publish(sequence);

    /// <summary>Seqlock "stamp before": true when the slot holds <paramref name="sequence"/> now (copy, then call
    /// <see cref="Validate"/>).</summary>
    public bool IsAvailable(long sequence) => Sequencer.GetStamp(sequence) == sequence;

    private static T ThrowNullSlot(long index)
    {
        ThrowHelper.NullSlot(index);
        return null!;
    }
}
