namespace GatewayProxy.Ring;

/// <summary>Something the ring wakes when its cursor reaches <see cref="Target"/>: a reader's or producer's
/// <see cref="AsyncWaiter"/>, or a worker's <see cref="RingSubscription"/>.</summary>
/// <remarks><see cref="InList"/> is guarded by the sequencer's waiter lock.</remarks>
internal abstract class RingWaiter
{
    /// <summary>The cursor value that satisfies this waiter; written (volatile) before the waiter is armed.</summary>
    internal long Target;

    /// <summary>True while the waiter sits in a sequencer's list (so it is never added twice).</summary>
    internal bool InList;

    /// <summary>True while somebody still wants the wake-up; false entries are dropped from the list.</summary>
    internal abstract bool IsPending { get; }

    /// <summary>Delivers the wake-up. Must be cheap and must not run user code inline (the producer calls it).</summary>
    internal abstract void Wake();
}
