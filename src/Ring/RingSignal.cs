namespace GatewayProxy.Ring;

/// <summary>An allocation-free async auto-reset event for a worker that drains many readers, possibly on several
/// rings: it subscribes once per ring (<see cref="RingBuffer{T}.Subscribe"/>), arms each subscription before
/// sleeping, and awaits <see cref="WaitAsync"/>; any armed ring's next publish sets the signal.</summary>
/// <remarks>
/// Worker loop: drain every reader; for each ring, <c>if (!subscription.Arm(lowestPositionOnThatRing)) keepGoing</c>;
/// if nothing had data, <c>await signal.WaitAsync(ct)</c>. Wake-ups may be spurious (a set from a ring the
/// worker already drained): always re-check the readers. One waiter at a time.
/// </remarks>
public sealed class RingSignal
{
    private readonly AsyncWaiter _waiter = new();
    private int _set;

    /// <summary>True when set and not yet consumed by a wait.</summary>
    public bool IsSet => Volatile.Read(ref _set) != 0;

    /// <summary>Sets the signal: wakes the pending wait, or lets the next wait complete at once.</summary>
    public void Set()
    {
        // Fence: the flag before looking for a waiter; pairs with WaitAsync's arm-then-fenced-read.
        // The flag stays set even when a waiter was woken: clearing it here could erase a later Set (lost wake-up);
        // leaving it costs at most one spurious wake-up.
        Interlocked.Exchange(ref _set, 1);
        if (_waiter.IsPending) _waiter.TryWake();
    }

    /// <summary>Completes when the signal is set (consuming it); throws <see cref="OperationCanceledException"/> when
    /// <paramref name="ct"/> fires.</summary>
    public ValueTask WaitAsync(CancellationToken ct = default)
    {
        if (Interlocked.Exchange(ref _set, 0) != 0) return default;
        if (!_waiter.Arm(ct)) return ValueTask.FromCanceled(ct);
        if (Interlocked.Exchange(ref _set, 0) != 0 && _waiter.TryDisarm()) return default;
        return _waiter.AsValueTask();
    }
}
