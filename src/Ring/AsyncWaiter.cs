using System.Threading.Tasks.Sources;

namespace GatewayProxy.Ring;

/// <summary>A reusable, allocation-free awaitable: one per reader, producer or signal, re-armed for each wait.</summary>
/// <remarks>
/// States: Idle → (Arm) Waiting → (TryWake | cancellation | TryAbort) Signaled → (GetResult) Idle,
/// or Waiting → (TryDisarm) Idle when the owner found what it waited for itself. Only the CAS out of
/// Waiting decides who completes, so a wake-up racing a cancellation completes the task exactly once.
/// Completion is posted to the thread pool with this object as the work item (no allocation), and the
/// continuation then runs inline on that pool thread: the producer never runs a reader's code.
/// </remarks>
internal sealed class AsyncWaiter : RingWaiter, IValueTaskSource<bool>, IValueTaskSource, IThreadPoolWorkItem
{
    private const int Idle = 0;
    private const int Waiting = 1;
    private const int Signaled = 2;

    private static readonly Action<object?, CancellationToken> OnCancel =
        static (state, _) => ((AsyncWaiter)state!).Complete(woken: false);

    private ManualResetValueTaskSourceCore<bool> _core; // mutable struct: not readonly
    private int _state;
    private bool _woken;
    private CancellationToken _token;
    private CancellationTokenRegistration _registration;

    /// <inheritdoc/>
    internal override bool IsPending => Volatile.Read(ref _state) == Waiting;

    /// <summary>Prepares a new wait. False (and not armed) when <paramref name="ct"/> is already cancelled.</summary>
    public bool Arm(CancellationToken ct)
    {
        if (ct.IsCancellationRequested) return false;
        if (Volatile.Read(ref _state) != Idle) ThrowHelper.Concurrent();
        _core.Reset();
        _token = ct;
        // Register before becoming Waiting, so the registration Execute and TryDisarm unregister is always this
        // wait's: registering after a waker could already complete the wait left a registration nobody removed,
        // whose callback could later cancel another wait. A cancellation during registration finds the waiter
        // Idle and is a no-op; the re-check after the fenced state write catches it.
        if (ct.CanBeCanceled) _registration = ct.UnsafeRegister(OnCancel, this);
        Interlocked.Exchange(ref _state, Waiting);
        if (ct.IsCancellationRequested) Complete(woken: false);
        return true;
    }

    /// <summary>Completes a pending wait as woken; false when nobody was waiting.</summary>
    public bool TryWake() => Complete(woken: true);

    /// <summary>Completes a pending wait as cancelled (reader disposed); false when nobody was waiting.</summary>
    public bool TryAbort() => Complete(woken: false);

    /// <summary>Withdraws a wait the owner no longer needs. False: a wake-up or cancellation won the race, so the
    /// owner must still await <see cref="AsValueTask"/> (it completes promptly) to return the waiter to Idle.</summary>
    public bool TryDisarm()
    {
        if (Interlocked.CompareExchange(ref _state, Idle, Waiting) != Waiting) return false;
        _registration.Unregister();
        return true;
    }

    /// <summary>The pending wait as a task that yields true when woken, false when cancelled or aborted.</summary>
    public ValueTask<bool> AsValueTaskOfBool() => new(this, _core.Version);

    /// <summary>The pending wait as a task that throws <see cref="OperationCanceledException"/> when cancelled.</summary>
    public ValueTask AsValueTask() => new(this, _core.Version);

    /// <inheritdoc/>
    internal override void Wake() => TryWake();

    private bool Complete(bool woken)
    {
        if (Interlocked.CompareExchange(ref _state, Signaled, Waiting) != Waiting) return false;
        _woken = woken;
        ThreadPool.UnsafeQueueUserWorkItem(this, preferLocal: false);
        return true;
    }

    void IThreadPoolWorkItem.Execute()
    {
        // Unregister (non-blocking) before completing so the token's callback list does not grow across waits.
        _registration.Unregister();
        _core.SetResult(_woken);
    }

    bool IValueTaskSource<bool>.GetResult(short token)
    {
        bool woken = _core.GetResult(token);
        Volatile.Write(ref _state, Idle);
        return woken;
    }

    void IValueTaskSource.GetResult(short token)
    {
        bool woken = _core.GetResult(token);
        CancellationToken ct = _token;
        Volatile.Write(ref _state, Idle);
        if (!woken) throw new OperationCanceledException(ct);
    }

    ValueTaskSourceStatus IValueTaskSource<bool>.GetStatus(short token) => _core.GetStatus(token);

    ValueTaskSourceStatus IValueTaskSource.GetStatus(short token)
    {
        ValueTaskSourceStatus status = _core.GetStatus(token);
        return status == ValueTaskSourceStatus.Succeeded && !_woken ? ValueTaskSourceStatus.Canceled : status;
    }

    void IValueTaskSource<bool>.OnCompleted(Action<object?> continuation, object? state, short token,
        ValueTaskSourceOnCompletedFlags flags) => _core.OnCompleted(continuation, state, token, flags);

    void IValueTaskSource.OnCompleted(Action<object?> continuation, object? state, short token,
        ValueTaskSourceOnCompletedFlags flags) => _core.OnCompleted(continuation, state, token, flags);
}
