using System.Runtime.CompilerServices;

namespace GatewayProxy.Ring;

/// <summary>Waiters for the cursor: registered under a lock, woken by the producer's publish when any exist.</summary>
internal sealed partial class RingSequencer
{
    private readonly Lock _waitLock = new();
    private RingWaiter[] _waiters;
    private int _waiterLength;

    /// <summary>Number of waiters currently registered (including stale ones not yet dropped).</summary>
    public int WaiterCount => (int)Volatile.Read(ref _waiterCount.Raw);

    /// <summary>Registers <paramref name="waiter"/>, whose target was set before it was armed (so a concurrent wake
    /// pass never pairs the new arming with an old target). The caller re-reads the cursor afterwards: the fenced
    /// count write pairs with the producer's fenced cursor write.</summary>
    public void Register(RingWaiter waiter)
    {
        lock (_waitLock)
        {
            if (!waiter.InList)
            {
                if (_waiterLength == _waiters.Length) Array.Resize(ref _waiters, _waiters.Length * 2);
                _waiters[_waiterLength++] = waiter;
                waiter.InList = true;
            }
            Interlocked.Exchange(ref _waiterCount.Raw, _waiterLength);
        }
    }

    /// <summary>Waits for the cursor to reach <paramref name="sequence"/> with <paramref name="waiter"/>.</summary>
    public ValueTask WaitAsync(AsyncWaiter waiter, long sequence, CancellationToken ct)
    {
        if (Cursor >= sequence) return default;
        if (ct.IsCancellationRequested) return ValueTask.FromCanceled(ct);
        if (Strategy == WaitStrategyKind.SpinThenYield) return SpinUntil(sequence, ct);
        return WaitSlow(waiter, sequence, ct);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private ValueTask WaitSlow(AsyncWaiter waiter, long sequence, CancellationToken ct)
    {
        Volatile.Write(ref waiter.Target, sequence);
        if (!waiter.Arm(ct)) return ValueTask.FromCanceled(ct);
        Register(waiter);
        if (Cursor >= sequence && waiter.TryDisarm()) return default;
        return waiter.AsValueTask();
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private ValueTask SpinUntil(long sequence, CancellationToken ct)
    {
        SpinWait spinner = default;
        while (Cursor < sequence)
        {
            if (ct.IsCancellationRequested) return ValueTask.FromCanceled(ct);
            spinner.SpinOnce(sleep1Threshold: -1);
        }
        return default;
    }

    /// <summary>Wakes every waiter whose target the cursor reached; drops stale entries; keeps the rest.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private void WakeWaiters(long cursor)
    {
        lock (_waitLock)
        {
            RingWaiter[] waiters = _waiters;
            int kept = 0;
            int length = _waiterLength;
            for (int i = 0; i < length; i++)
            {
                RingWaiter waiter = waiters[i];
                if (waiter.IsPending && cursor < Volatile.Read(ref waiter.Target))
                {
                    waiters[kept++] = waiter;
                    continue;
                }
                waiter.InList = false;
                // Wake only queues a thread-pool item (or sets a signal): cheap enough to do under the lock.
                if (waiter.IsPending) waiter.Wake();
            }
            Array.Clear(waiters, kept, length - kept);
            _waiterLength = kept;
            Volatile.Write(ref _waiterCount.Raw, kept);
        }
    }
}
