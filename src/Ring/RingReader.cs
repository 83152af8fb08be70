using System.Runtime.CompilerServices;

namespace GatewayProxy.Ring;

/// <summary>A reader the producer never waits for. It detects its own overrun through slot stamps and never hands
/// out a torn or overwritten slot, provided the caller follows the read protocol:
/// <see cref="Poll"/> (stamp before), copy the slots, <see cref="Validate"/> (stamp after), then <see cref="Advance"/>.</summary>
public sealed class RingReader : RingConsumer
{
    private bool _overrun;

    internal RingReader(RingSequencer sequencer, long startAfter)
        : base(sequencer, startAfter)
    {
    }

    /// <summary>True once the reader has found its next event overwritten; it stays overrun.</summary>
    public bool WasOverrun => _overrun;

    /// <summary>Polls for the next batch: the range after <see cref="Position"/>, cut at the physical wrap and at
    /// <paramref name="maxBatch"/>, with the first slot's stamp checked before any copy.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public RingReadStatus Poll(int maxBatch, out long first, out long last)
    {
        if (_overrun)
        {
            first = last = -1;
            return RingReadStatus.Overrun;
        }
        if (!TryGetRange(maxBatch, out first, out last)) return RingReadStatus.Empty;
        // first <= cursor was read with acquire, so its stamp is first or newer: anything else means overwritten. Below
        // the floor its payload was trimmed.
        if (Sequencer.GetStamp(first) != first || first < Sequencer.Floor)
        {
            _overrun = true;
            return RingReadStatus.Overrun;
        }
        return RingReadStatus.Ready;
    }

    /// <inheritdoc/>
    public override bool TryGetBatch(int maxBatch, out long first, out long last) =>
        Poll(maxBatch, out first, out last) == RingReadStatus.Ready;

    /// <summary>After copying the slot data of <paramref name="sequence"/>, confirms nothing was overwritten meanwhile.
    /// Validating the oldest sequence of a batch validates every later one copied before the call. False: overrun,
    /// the copied data must be discarded and the reader must stop.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool Validate(long sequence)
    {
        if (Sequencer.Validate(sequence)) return true;
        _overrun = true;
        return false;
    }

    /// <summary>True when the slot of <paramref name="sequence"/> already holds or is being rewritten for a newer
    /// sequence: that event can no longer be read.</summary>
    public bool IsOverrun(long sequence) => Sequencer.IsOverrun(sequence);

    /// <inheritdoc/>
    public override void Advance(long toSequence)
    {
        CheckAdvance(toSequence);
        Volatile.Write(ref _position.Raw, toSequence); // release: read for lag reporting and by a payload ring's trim
    }

    private protected override void OnLeave() => Sequencer.RemoveReader(this);
}
