using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace GatewayProxy.Ring;

/// <summary>Producer side: claim, publish, and waiting for gating readers.</summary>
internal sealed partial class RingSequencer
{
    private readonly AsyncWaiter _producerWaiter = new();

    /// <summary>Claims the next sequence unless a gating reader still needs its slot.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool TryNext(out long sequence)
    {
        long next = _producer.Claimed + 1; // producer-owned: plain read
        if (next - Size > _producer.CachedGatingMin || Volatile.Read(ref _gatingVersion) != _producer.CachedVersion)
        {
            if (!RefreshGating(next - Size))
            {
                sequence = -1;
                return false;
            }
        }

        Volatile.Write(ref _producer.Claimed, next);
        // The mark must be visible before any write to the slot: Interlocked is a full fence (see remarks).
        Interlocked.Exchange(
            ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_stamps), (nint)(next & Mask)),
            RingStamp.Writing(next));
        sequence = next;
        return true;
    }

    /// <summary>Publishes <paramref name="sequence"/> (claims are published in order) and wakes waiters.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Publish(long sequence)
    {
        long expected = _cursor.Raw + 1; // producer is the only writer: plain read
        if (sequence != expected || sequence > _producer.Claimed) ThrowHelper.OutOfOrderPublish(sequence, expected);
        Volatile.Write(ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_stamps), (nint)(sequence & Mask)), sequence);
        Interlocked.Exchange(ref _cursor.Raw, sequence); // fence: cursor before the waiter-count read
        if (Volatile.Read(ref _waiterCount.Raw) != 0) WakeWaiters(sequence);
    }

    /// <summary>Claims the next sequence, awaiting gating readers when the ring is full.</summary>
    public ValueTask<long> NextAsync(CancellationToken ct)
    {
        if (TryNext(out long sequence)) return new ValueTask<long>(sequence);
        if (Strategy == WaitStrategyKind.SpinThenYield) return new ValueTask<long>(NextSpinning(ct));
        return NextSlowAsync(ct);
    }

    /// <summary>Claims the next sequence, blocking the caller when the ring is full.</summary>
    public long Next(CancellationToken ct)
    {
        if (TryNext(out long sequence)) return sequence;
        if (Strategy == WaitStrategyKind.SpinThenYield) return NextSpinning(ct);
        ValueTask<long> pending = NextSlowAsync(ct);
        return pending.IsCompleted ? pending.Result : pending.AsTask().GetAwaiter().GetResult();
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private long NextSpinning(CancellationToken ct)
    {
        SpinWait spinner = default;
        long sequence;
        while (!TryNext(out sequence))
        {
            ct.ThrowIfCancellationRequested();
            spinner.SpinOnce(sleep1Threshold: -1);
        }
        return sequence;
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<long> NextSlowAsync(CancellationToken ct)
    {
        while (true)
        {
            if (!_producerWaiter.Arm(ct)) throw new OperationCanceledException(ct);
            Interlocked.Exchange(ref _producerWaiting.Raw, 1); // fence: flag before re-reading gating positions
            if (TryNext(out long sequence))
            {
                Volatile.Write(ref _producerWaiting.Raw, 0);
                // Lost the race to a wake-up or cancellation: consume it, but keep the claim (never throw after claiming).
                if (!_producerWaiter.TryDisarm()) await _producerWaiter.AsValueTaskOfBool().ConfigureAwait(false);
                return sequence;
            }
            if (!await _producerWaiter.AsValueTaskOfBool().ConfigureAwait(false))
            {
                Volatile.Write(ref _producerWaiting.Raw, 0);
                throw new OperationCanceledException(ct);
            }
        }
    }

    /// <summary>Called after a gating position moved or a gating reader left: wakes the producer if it waits.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal void OnGatingProgress()
    {
        if (Volatile.Read(ref _producerWaiting.Raw) != 0) WakeProducer();
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void WakeProducer()
    {
        Volatile.Write(ref _producerWaiting.Raw, 0);
        _producerWaiter.TryWake();
    }
}
