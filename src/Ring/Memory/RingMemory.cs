using System.Runtime.CompilerServices;

namespace GatewayProxy.Ring.Memory;

/// <summary>
/// What every payload ring of a process shares: the segment pool their byte logs are built from, one bound on the bytes
/// they hold together, the retention age, and one timer that trims quiet rings.
/// </summary>
/// <remarks>
/// A ring trims itself whenever its writer moves to a new block; a ring that publishes nothing would never get there,
/// so the timer (one per process, not one per ring) trims every ring each period, and sets the coarse clock publish
/// times are stamped with (one volatile read per event instead of a clock call). At the limit, a writer that needs a
/// block first trims the oldest block of the ring holding the most, then the next, until the new block fits; what a
/// gating reader (the cache updater, a snapshot hold) still needs is never trimmed, so the limit is exceeded rather than
/// the producer blocked. See docs/architecture.md, "Ring memory".
/// </remarks>
public sealed class RingMemory : IDisposable
{
    /// <summary>No limit on the bytes held.</summary>
    public const long Unlimited = long.MaxValue;

    /// <summary>Default retention age: the default <c>session_ttl_seconds</c>.</summary>
    public static readonly TimeSpan DefaultRetainFor = TimeSpan.FromSeconds(120);

    /// <summary>How often the timer trims every ring.</summary>
    public static readonly TimeSpan DefaultTickPeriod = TimeSpan.FromSeconds(1);

    private readonly TimeProvider _time;
    private readonly TimeSpan _tickPeriod;
    private readonly Lock _lock = new();
    private readonly Lock _reclaimLock = new();
    private PayloadLog[] _logs = [];
    private ITimer? _timer;
    private long _now;
    private long _held;
    private long _limitTrims;
    private int _round;
    private bool _disposed;

    /// <summary>Creates a budget of <paramref name="limitBytes"/> (or <see cref="Unlimited"/>) that keeps events for
    /// <paramref name="retainFor"/> after publication.</summary>
    /// <param name="limitBytes">The most bytes all rings hold together.</param>
    /// <param name="retainFor">How long an event every live reader has passed stays resumable.</param>
    /// <param name="time">The clock (a fake one in tests); the system clock when null.</param>
    /// <param name="pool">The segment pool; <see cref="SegmentPool.Rings"/> when null.</param>
    /// <param name="tickPeriod">The trim timer's period; <see cref="Timeout.InfiniteTimeSpan"/> for none (the caller
    /// calls <see cref="Tick"/>); <see cref="DefaultTickPeriod"/> when null.</param>
    public RingMemory(long limitBytes, TimeSpan retainFor, TimeProvider? time = null, SegmentPool? pool = null, TimeSpan? tickPeriod = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limitBytes, 0);
        ArgumentOutOfRangeException.ThrowIfLessThan(retainFor, TimeSpan.Zero);
        LimitBytes = limitBytes;
        RetainFor = retainFor;
        _time = time ?? TimeProvider.System;
        Pool = pool ?? SegmentPool.Rings;
        _tickPeriod = tickPeriod ?? DefaultTickPeriod;
        MaxAgeTimestamp = (long)(retainFor.TotalSeconds * _time.TimestampFrequency);
        _now = _time.GetTimestamp();
    }

    /// <summary>The budget of rings made without one: no limit, the default retention age.</summary>
    public static RingMemory Default { get; } = new(Unlimited, DefaultRetainFor);

    /// <summary>The most bytes all rings hold together.</summary>
    public long LimitBytes { get; }

    /// <summary>How long an event every live reader has passed is kept.</summary>
    public TimeSpan RetainFor { get; }

    /// <summary>True: the age rule keeps only events after the oldest session start pinned on a ring
    /// (<see cref="RetentionPin"/>), so without a session nothing is kept by age. False: every event is kept for
    /// <see cref="RetainFor"/>, sessions or not (a ring whose users never pin, such as a test reading it whole).</summary>
    public bool AgeFollowsSessions { get; init; }

    /// <summary>The pool the byte logs are built from.</summary>
    public SegmentPool Pool { get; }

    /// <summary>Bytes all rings hold now.</summary>
    public long HeldBytes => Volatile.Read(ref _held);

    /// <summary>Trims forced by the limit, over all rings.</summary>
    public long LimitTrims => Volatile.Read(ref _limitTrims);

    /// <summary>Rings using this budget.</summary>
    public int RingCount => Volatile.Read(ref _logs).Length;

    /// <summary>The coarse clock (<see cref="TimeProvider.GetTimestamp"/> units), set at each tick.</summary>
    internal long Now
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => Volatile.Read(ref _now);
    }

    /// <summary><see cref="RetainFor"/> in timestamp units.</summary>
    internal long MaxAgeTimestamp { get; }

    /// <summary>Advances the clock and trims every ring (the timer's work; tests call it directly).</summary>
    public void Tick()
    {
        Volatile.Write(ref _now, _time.GetTimestamp());
        foreach (PayloadLog log in Volatile.Read(ref _logs)) log.Trim();
    }

    /// <summary>Stops the timer. Rings still registered keep working, trimmed only when they move to a new block.</summary>
    public void Dispose()
    {
        lock (_lock)
        {
            _disposed = true;
            _timer?.Dispose();
            _timer = null;
        }
    }

    internal void Register(PayloadLog log)
    {
        lock (_lock)
        {
            Volatile.Write(ref _logs, CopyOnWriteArray.With(_logs, log));
            if (_timer is null && !_disposed && _tickPeriod != Timeout.InfiniteTimeSpan)
            {
                _timer = _time.CreateTimer(static state => ((RingMemory)state!).OnTimer(), this, _tickPeriod, _tickPeriod);
            }
        }
    }

    internal void Unregister(PayloadLog log)
    {
        lock (_lock)
        {
            PayloadLog[] old = _logs;
            PayloadLog[] updated = CopyOnWriteArray.Without(old, log);
            if (ReferenceEquals(updated, old)) return;
            Volatile.Write(ref _logs, updated);
            if (updated.Length == 0)
            {
                _timer?.Dispose();
                _timer = null;
            }
        }
    }

    /// <summary>Counts bytes a log took (positive) or gave back (negative).</summary>
    internal void OnHeld(long bytes) => Interlocked.Add(ref _held, bytes);

    /// <summary>Before a writer takes <paramref name="bytes"/> more: trims the largest rings' oldest blocks while the
    /// total would pass the limit, as far as gating readers allow. Never waits for a reader.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal void MakeRoom(long bytes)
    {
        if (Volatile.Read(ref _held) > LimitBytes - bytes) Reclaim(bytes);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void Reclaim(long bytes)
    {
        lock (_reclaimLock)
        {
            int round = ++_round;
            while (Volatile.Read(ref _held) > LimitBytes - bytes)
            {
                PayloadLog? victim = null;
                long most = 0;
                foreach (PayloadLog log in Volatile.Read(ref _logs))
                {
                    long held = log.HeldBytes;
                    if (log.ReclaimRound != round && held > most)
                    {
                        victim = log;
                        most = held;
                    }
                }

                // Nothing left that may be trimmed: the limit is exceeded rather than the producer blocked.
                if (victim is null) return;
                if (victim.TrimOldestForLimit()) Interlocked.Increment(ref _limitTrims);
                else victim.ReclaimRound = round;
            }
        }
    }

    private void OnTimer()
    {
        try
        {
            Tick();
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // A trim that failed is retried at the next tick; the timer must survive it.
            System.Diagnostics.Trace.TraceError("ring trim failed: " + e);
        }
    }
}
