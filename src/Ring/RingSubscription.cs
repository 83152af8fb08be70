namespace GatewayProxy.Ring;

/// <summary>A worker's link from one ring to its <see cref="RingSignal"/>: armed before each sleep, it sets the
/// signal once, at the first publish past the armed position. Allocated once per (worker, ring).</summary>
public sealed class RingSubscription : IDisposable
{
    private readonly Link _link;

    internal RingSubscription(RingSequencer sequencer, RingSignal signal)
    {
        _link = new Link(signal);
        Sequencer = sequencer;
    }

    private RingSequencer Sequencer { get; }

    /// <summary>The signal this subscription sets.</summary>
    public RingSignal Signal => _link.Signal;

    /// <summary>True while armed and not yet fired.</summary>
    public bool IsArmed => _link.IsPending;

    /// <summary>Arms a one-shot wake-up for the first publish after <paramref name="afterSequence"/> (typically the
    /// lowest position of the worker's readers on this ring). False when the cursor is already past it: there is
    /// data, do not sleep. Arming again while armed just moves the target.</summary>
    public bool Arm(long afterSequence)
    {
        if (Sequencer.Cursor > afterSequence) return false;
        Volatile.Write(ref _link.Target, afterSequence + 1);
        Interlocked.Exchange(ref _link.Armed, 1);
        Sequencer.Register(_link);
        if (Sequencer.Cursor <= afterSequence) return true;
        Interlocked.Exchange(ref _link.Armed, 0);
        return false;
    }

    /// <summary>Disarms; the ring drops the stale entry at its next publish.</summary>
    public void Dispose() => Interlocked.Exchange(ref _link.Armed, 0);

    /// <summary>The entry in the ring's waiter list.</summary>
    private sealed class Link(RingSignal signal) : RingWaiter
    {
        public readonly RingSignal Signal = signal;
        public int Armed;

        internal override bool IsPending => Volatile.Read(ref Armed) != 0;

        internal override void Wake()
        {
            if (Interlocked.Exchange(ref Armed, 0) != 0) Signal.Set();
        }
    }
}
