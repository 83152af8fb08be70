namespace GatewayProxy.Egress.Server;

/// <summary>Where the GC heap stands against the memory limit (the <c>gateway_memory_state</c> gauge).</summary>
internal enum MemoryState
{
    /// <summary>Below the refuse threshold (or back below the resume threshold): clients are served as usual.</summary>
    Normal,
    /// <summary>At or above the refuse threshold: new clients get HTTP 503 at the upgrade.</summary>
    Refusing,
    /// <summary>At or above the shed threshold after a full collection: the largest client backlogs are cut.</summary>
    Shedding,
}

/// <summary>Reads the GC heap for <see cref="MemoryGuard"/> (a seam so the decisions can be tested without a real heap).</summary>
internal interface IHeapProbe
{
    /// <summary>The GC heap in use now, in bytes (garbage not yet collected included).</summary>
    long HeapNow();

    /// <summary>Frees what the process holds only for reuse, forces a full compacting collection and returns the heap after it.</summary>
    long Collect();
}

/// <summary>
/// Decides, from the GC heap against the memory limit, whether new clients are refused and how many bytes of client
/// backlog must be cut (docs/operations.md, "Memory limit"). One caller (the server's memory loop); not thread-safe,
/// except <see cref="State"/> and <see cref="HeapBytes"/>, which any thread may read.
/// </summary>
/// <remarks>
/// The heap in use holds garbage a full collection would free (everything since the last GC, gen2 garbage, pooled
/// buffers): refusing new clients on that reading is cheap and reversible, but cutting clients is not, so a cut is
/// decided only on a reading taken right after a forced full collection (at most one per
/// <see cref="ConfirmIntervalMs"/>). Bytes of clients already cut but not yet torn down (their close frame still
/// draining) count as freed, so one high reading does not cut everyone.
/// </remarks>
internal sealed class MemoryGuard
{
    /// <summary>Least time between two forced collections.</summary>
    public const long ConfirmIntervalMs = 1000;

    /// <summary>How often a heap that stays between the resume and refuse thresholds is re-read after a full collection
    /// (garbage that no collection has reclaimed yet must not refuse clients for long).</summary>
    public const long RecheckIntervalMs = 10_000;

    private readonly IHeapProbe _probe;
    private long _lastCollection = long.MinValue / 2;
    private long _heap;
    private int _state;

    public MemoryGuard(long limit, double refuseAt, double shedAt, double resumeAt, IHeapProbe probe)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        if (!(resumeAt > 0 && resumeAt < refuseAt && refuseAt < shedAt && shedAt < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(refuseAt), $"wanted 0 < resume ({resumeAt}) < refuse ({refuseAt}) < shed ({shedAt}) < 1");
        }

        Limit = limit;
        RefuseBytes = (long)(limit * refuseAt);
        ShedBytes = (long)(limit * shedAt);
        ResumeBytes = (long)(limit * resumeAt);
        _probe = probe;
    }

    /// <summary>The memory limit, in bytes.</summary>
    public long Limit { get; }

    /// <summary>New clients are refused from this heap size on.</summary>
    public long RefuseBytes { get; }

    /// <summary>Client backlogs are cut from this heap size on (after a full collection).</summary>
    public long ShedBytes { get; }

    /// <summary>Refused clients are accepted again below this heap size.</summary>
    public long ResumeBytes { get; }

    /// <summary>The state the last check decided.</summary>
    public MemoryState State => (MemoryState)Volatile.Read(ref _state);

    /// <summary>True while new clients are refused.</summary>
    public bool RefusesClients => State != MemoryState.Normal;

    /// <summary>True when new work for clients must not start: refusing, or the heap in use is at the refuse threshold
    /// now (between two checks a flood of clients can grow it). Any thread.</summary>
    public bool RefusesNow() => State != MemoryState.Normal || _probe.HeapNow() >= RefuseBytes;

    /// <summary>The heap the last check read, in bytes.</summary>
    public long HeapBytes => Volatile.Read(ref _heap);

    /// <summary>The heap in use, read now (for the gauges; decides nothing).</summary>
    public long ReadHeap() => _probe.HeapNow();

    /// <summary>A cut was decided but no client had a backlog to cut: the heap is held elsewhere (cache, rings), so the next
    /// forced collection waits <see cref="RecheckIntervalMs"/> instead of running every second for nothing.</summary>
    public void NothingToCut(long nowMs) => _lastCollection = nowMs + RecheckIntervalMs - ConfirmIntervalMs;

    /// <summary>Reads the heap and decides the state.</summary>
    /// <param name="nowMs">The current <see cref="Environment.TickCount64"/>.</param>
    /// <param name="pendingRelease">Backlog bytes of clients already cut whose connections have not ended yet.</param>
    /// <returns>Bytes of client backlog to cut now (0: none).</returns>
    public long Check(long nowMs, long pendingRelease)
    {
        MemoryState state = State;
        long heap = _probe.HeapNow();
        bool confirmed = false;
        bool suspect = heap - pendingRelease >= ShedBytes
            || (state == MemoryState.Normal && heap >= RefuseBytes)
            || (state != MemoryState.Normal && heap >= ResumeBytes && nowMs - _lastCollection >= RecheckIntervalMs);
        if (suspect && nowMs - _lastCollection >= ConfirmIntervalMs)
        {
            heap = _probe.Collect();
            _lastCollection = nowMs;
            confirmed = true;
        }

        long effective = heap - pendingRelease;
        MemoryState next;
        if (effective >= ShedBytes)
        {
            // Unconfirmed: the last word stands until a collection can be forced again.
            next = confirmed ? MemoryState.Shedding : (state == MemoryState.Normal ? MemoryState.Refusing : state);
        }
        else if (effective >= RefuseBytes || (state != MemoryState.Normal && effective >= ResumeBytes))
        {
            next = MemoryState.Refusing;
        }
        else
        {
            next = MemoryState.Normal;
        }

        Volatile.Write(ref _heap, heap);
        Volatile.Write(ref _state, (int)next);
        // Down to the refuse threshold: below it, refusing new clients is enough.
        return next == MemoryState.Shedding && confirmed ? effective - RefuseBytes : 0;
    }
}
