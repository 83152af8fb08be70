using System.Runtime.CompilerServices;

namespace GatewayProxy.Ring.Memory;

/// <summary>Retention: which events the log keeps, and the trims that free the rest.</summary>
internal sealed partial class PayloadLog
{
    /// <summary>Trims what no one can still need: events older than the ring's last <c>Size</c>, and events every
    /// live reader has passed that are also older than <see cref="RingMemory.RetainFor"/> or (with
    /// <see cref="RingMemory.AgeFollowsSessions"/>) published at or before the oldest session start
    /// (<see cref="RetentionPin"/>): no session can resume into those.</summary>
    public void Trim()
    {
        long now = Memory.Now;
        lock (SyncRoot)
        {
            if (_disposed) return;
            long cursor = _sequencer.Cursor;
            long floor = _sequencer.Floor;
            long counted = _sequencer.Claimed + 1 - _sequencer.Size;
            long readers = _sequencer.MinimumReaderPositionLocked();
            long unread = readers >= cursor ? cursor + 1 : readers + 1;
            long young = FirstPublishedSince(now - Memory.MaxAgeTimestamp, Math.Max(floor, counted), cursor);
            if (Memory.AgeFollowsSessions)
            {
                long pinned = _sequencer.MinimumPinPositionLocked();
                young = Math.Max(young, pinned >= cursor ? cursor + 1 : pinned + 1);
            }
            long target = Math.Max(counted, Math.Min(unread, young));
            _sequencer.RaiseFloor(target);
            ReleaseBelowFloorLocked();
        }
    }

    /// <summary>The process-wide limit is reached: trims this log's oldest block, unless a gating reader (the cache
    /// updater, a snapshot hold) still needs it or it is the writer's current one. True when a block was freed.</summary>
    public bool TrimOldestForLimit()
    {
        lock (SyncRoot)
        {
            if (_disposed || _count <= (_tailIsHead ? 1 : 0)) return false;
            long target = _blocks[_first].LastSequence + 1;
            // Gating readers never lose an event; MinimumGatingPosition is long.MaxValue when none gates.
            long bound = Math.Min(_sequencer.MinimumGatingPosition(), _sequencer.Cursor) + 1;
            if (target > bound) return false;
            _sequencer.RaiseFloor(target);
            ReleaseBelowFloorLocked();
            Volatile.Write(ref _limitTrims, _limitTrims + 1);
            return true;
        }
    }

    /// <summary>Frees every block: the ring is done. Every published event reads as overrun from now on.</summary>
    public void ReleaseAll()
    {
        lock (SyncRoot)
        {
            if (_disposed) return;
            _disposed = true;
            _sequencer.RaiseFloor(_sequencer.Claimed + 1);
            _tailIsHead = false;
            while (_count > 0)
            {
                FreeLocked(ref _blocks[_first]);
                _first = (_first + 1) & (_blocks.Length - 1);
                _count--;
            }
        }
    }

    /// <summary>True once <see cref="ReleaseAll"/> ran (caller holds <see cref="SyncRoot"/>).</summary>
    public bool IsDisposedLocked => _disposed;

    /// <summary>The first sequence in [<paramref name="low"/>, <paramref name="high"/>] published at or after
    /// <paramref name="since"/>, or high + 1. Publish times never decrease along the sequence above the count floor.</summary>
    private long FirstPublishedSince(long since, long low, long high)
    {
        long end = high + 1;
        while (low < end)
        {
            long mid = low + ((end - low) >> 1);
            if (TimeOf(mid) >= since) end = mid;
            else low = mid + 1;
        }

        return low;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private long TimeOf(long sequence) => Volatile.Read(ref _slots[sequence & _sequencer.Mask].Time);
}
