using System.Runtime.CompilerServices;

namespace GatewayProxy.Ring;

/// <summary>What every reader of a ring has: a position, lag, batch polling and an allocation-free wait.</summary>
/// <remarks>A reader is used by one thread (or one async flow) at a time; it needs no thread of its own.</remarks>
public abstract class RingConsumer : IDisposable
{
    private protected readonly RingSequencer Sequencer;
    private protected PaddedSequence _position; // mutable struct: not readonly
    private protected long _cachedCursor;
    private readonly AsyncWaiter _waiter = new();
    private int _disposed;

    private protected RingConsumer(RingSequencer sequencer, long startAfter)
    {
        if (startAfter < -1) ThrowHelper.BadStart(startAfter);
        Sequencer = sequencer;
        _position = new PaddedSequence(startAfter);
        _cachedCursor = -1;
    }

    /// <summary>The last sequence consumed (committed with <see cref="Advance"/>).</summary>
    public long Position => _position.Value;

    /// <summary>How far behind the ring's cursor this reader is (0 when caught up).</summary>
    public long Lag => Math.Max(0, Sequencer.Cursor - _position.Value);

    /// <summary>True when this reader is more than <paramref name="events"/> behind the cursor.</summary>
    public bool IsLaggingMoreThan(long events) => Lag > events;

    /// <summary>True once disposed (left the ring).</summary>
    public bool IsDisposed => Volatile.Read(ref _disposed) != 0;

    /// <summary>The available range after <see cref="Position"/>, cut at the physical end of the ring and at
    /// <paramref name="maxBatch"/>. False when nothing is available (or, for a non-gating reader, when overrun).</summary>
    public abstract bool TryGetBatch(int maxBatch, out long first, out long last);

    /// <summary>Commits progress: everything up to <paramref name="toSequence"/> has been consumed.</summary>
    public abstract void Advance(long toSequence);

    /// <summary>Completes when the cursor reaches <paramref name="sequence"/>; throws <see cref="OperationCanceledException"/>
    /// when <paramref name="ct"/> fires or the reader is disposed. No thread, no spin (async strategy), no
    /// allocation per wait once the token's registration nodes are warm.</summary>
    public ValueTask WaitAsync(long sequence, CancellationToken ct = default) =>
        Sequencer.WaitAsync(_waiter, sequence, ct);

    /// <summary>Completes when at least one event after <see cref="Position"/> is published.</summary>
    public ValueTask WaitForDataAsync(CancellationToken ct = default) => WaitAsync(_position.Raw + 1, ct);

    /// <summary>Leaves the ring; a pending wait is cancelled.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        OnLeave();
        _waiter.TryAbort();
        GC.SuppressFinalize(this);
    }

    /// <summary>Detaches from the ring (gating readers stop holding the producer).</summary>
    private protected virtual void OnLeave()
    {
    }

    /// <summary>Computes the next batch range from the (cached) cursor; false when nothing is published.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private protected bool TryGetRange(int maxBatch, out long first, out long last)
    {
        first = _position.Raw + 1; // owner-only plain read
        // Cut at the physical wrap so the batch is one contiguous run of slots, and at maxBatch.
        long end = Math.Min(first + (Sequencer.Mask - (first & Sequencer.Mask)), first + Math.Max(maxBatch, 1) - 1);
        long cursor = _cachedCursor;
        if (cursor < end)
        {
            // Only touch the shared cursor line when the cached value cannot fill the batch.
            cursor = Sequencer.Cursor; // acquire: slot data of everything up to cursor is visible
            _cachedCursor = cursor;
            if (cursor < first)
            {
                last = first - 1;
                return false;
            }
        }
        last = Math.Min(cursor, end);
        return true;
    }

    /// <summary>Checks an Advance target against the position and the cursor.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private protected void CheckAdvance(long toSequence)
    {
        long position = _position.Raw;
        if (toSequence <= position || toSequence > _cachedCursor)
        {
            long cursor = Sequencer.Cursor;
            _cachedCursor = cursor;
            if (toSequence < position || toSequence > cursor) ThrowHelper.BadAdvance(toSequence, position, cursor);
        }
    }
}
