namespace GatewayProxy.Egress.Sessions;

/// <summary>Maps a session's client sequence numbers to ring positions, so a RESUME from client seq S can restart the
/// ring after the event S was (or, for crafted payloads, the position S came after).</summary>
/// <remarks>
/// Client seqs and ring sequences advance together except where the client skips ring events (routing: other clients'
/// member chunks, upstream READY/RESUMED) or gets payloads that are not in the ring (READY, GUILD_CREATEs, RESUMED). So the
/// map stores only runs (clientSeq, ringPosition, count) where both advance by one: appending is a comparison in the
/// common case and allocation-free once the list has room; runs the ring can no longer serve are pruned.
/// A virtual-shard session keeps one map per ring it reads, and its client seqs interleave across them: a client seq
/// between two runs of one ring (sent from another ring) maps to the last event of the earlier run, the position that
/// ring restarts after (docs/architecture.md, "Virtual shards").
/// A seq below <see cref="FirstResumableSeq"/> (inside the READY/GUILD_CREATE burst) cannot be resumed.
/// </remarks>
internal sealed class SequenceMap
{
    private (long ClientSeq, long RingPosition, long Count)[] _anchors = new (long, long, long)[8];
    private int _count;

    /// <summary>The lowest client seq a RESUME can start after (the last payload of the snapshot burst).</summary>
    public long FirstResumableSeq { get; private set; } = long.MaxValue;

    /// <summary>Number of anchors held (for tests).</summary>
    public int AnchorCount => _count;

    /// <summary>Starts over: the burst ended at <paramref name="clientSeq"/>, and live events start after <paramref name="ringPosition"/>.</summary>
    public void Reset(long clientSeq, long ringPosition)
    {
        _count = 0;
        FirstResumableSeq = clientSeq;
        Add(clientSeq, ringPosition);
    }

    /// <summary>Records that <paramref name="clientSeq"/> was sent for the ring event (or after the ring position)
    /// <paramref name="ringPosition"/>; client seqs must grow.</summary>
    public void Record(long clientSeq, long ringPosition)
    {
        if (_count > 0)
        {
            ref (long ClientSeq, long RingPosition, long Count) last = ref _anchors[_count - 1];
            if (last.ClientSeq + last.Count == clientSeq && last.RingPosition + last.Count == ringPosition)
            {
                last.Count++;
                return;
            }
        }

        Add(clientSeq, ringPosition);
    }

    /// <summary>The ring position a RESUME from <paramref name="clientSeq"/> restarts after; false when that seq was never sent
    /// or lies inside the snapshot burst.</summary>
    public bool TryGetRingPosition(long clientSeq, long lastSentSeq, out long ringPosition)
    {
        ringPosition = -1;
        if (clientSeq < FirstResumableSeq || clientSeq > lastSentSeq || _count == 0) return false;
        int index = FindAnchor(clientSeq);
        if (index < 0) return false;
        (long c, long r, long count) = _anchors[index];
        ringPosition = r + Math.Min(clientSeq - c, count - 1);
        return true;
    }

    /// <summary>Forgets anchors after <paramref name="clientSeq"/> (a RESUME restarts numbering there).</summary>
    public void TruncateAfter(long clientSeq)
    {
        while (_count > 1 && _anchors[_count - 1].ClientSeq > clientSeq) _count--;
        if (_count == 0) return;
        ref (long ClientSeq, long RingPosition, long Count) last = ref _anchors[_count - 1];
        if (clientSeq >= last.ClientSeq) last.Count = Math.Min(last.Count, clientSeq - last.ClientSeq + 1);
    }

    /// <summary>Drops anchors wholly before <paramref name="oldestRingPosition"/> (keeping the one that covers it).</summary>
    public void Prune(long oldestRingPosition)
    {
        int drop = 0;
        while (drop + 1 < _count && _anchors[drop + 1].RingPosition <= oldestRingPosition) drop++;
        if (drop == 0) return;
        Array.Copy(_anchors, drop, _anchors, 0, _count - drop);
        _count -= drop;
        // The burst cannot be resumed into once its anchor is gone.
        FirstResumableSeq = Math.Max(FirstResumableSeq, _anchors[0].ClientSeq);
    }

    private int FindAnchor(long clientSeq)
    {
        int lo = 0, hi = _count - 1, found = -1;
        while (lo <= hi)
        {
            int mid = (lo + hi) >>> 1;
            if (_anchors[mid].ClientSeq <= clientSeq)
            {
                found = mid;
                lo = mid + 1;
            }
            else
            {
                hi = mid - 1;
            }
        }

        return found;
    }

    private void Add(long clientSeq, long ringPosition)
    {
        if (_count == _anchors.Length) Array.Resize(ref _anchors, _anchors.Length * 2);
        _anchors[_count++] = (clientSeq, ringPosition, 1);
    }
}
