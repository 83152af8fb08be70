using System.Runtime.CompilerServices;

namespace GatewayProxy.Ring;

/// <summary>The gating set: readers the producer waits for. Copy-on-write, so the producer reads it without a lock.</summary>
internal sealed partial class RingSequencer
{
    private readonly Lock _gatingLock = new();
    private GatingReader[] _gating = [];
    private RingReader[] _readers = [];
    private RetentionPin[] _pins = [];
    private int _gatingVersion;

    /// <summary>Guards the reader sets and, for a payload ring, the floor and its blocks: a trim computes the floor from
    /// the readers it sees, so no reader can join behind it unseen.</summary>
    internal Lock MembersLock => _gatingLock;

    /// <summary>The lowest gating position, or <see cref="long.MaxValue"/> when no reader gates.</summary>
    public long MinimumGatingPosition()
    {
        GatingReader[] readers = Volatile.Read(ref _gating);
        long min = long.MaxValue;
        for (int i = 0; i < readers.Length; i++) min = Math.Min(min, readers[i].PositionSequence.Value);
        return min;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private bool RefreshGating(long wrapPoint)
    {
        // Version before set (acquire): a joiner swaps the set and then bumps the version, so a new version
        // always comes with the new set. An old version with a new set only causes one more refresh.
        int version = Volatile.Read(ref _gatingVersion);
        long min = MinimumGatingPosition();
        _producer.CachedGatingMin = min;
        _producer.CachedVersion = version;
        return wrapPoint <= min;
    }

    /// <summary>Adds a gating reader positioned at <paramref name="startAfter"/>, or throws when its next slot may
    /// already be overwritten.</summary>
    public void AddGating(GatingReader reader, long startAfter)
    {
        lock (_gatingLock)
        {
            GatingReader[] old = _gating;
            Volatile.Write(ref _gating, CopyOnWriteArray.With(old, reader));
            Interlocked.Increment(ref _gatingVersion); // fence: set and version before reading Claimed
            // Older than the floor - 1: its next event's payload is already trimmed (the floor only moves under this lock).
            long oldest = Math.Max(Volatile.Read(ref _producer.Claimed) + 1 - Size, _floor.Raw - 1);
            if (startAfter < oldest)
            {
                Volatile.Write(ref _gating, old);
                Interlocked.Increment(ref _gatingVersion);
                ThrowHelper.StartTooOld(startAfter, oldest);
            }
        }
    }

    /// <summary>Adds a gating reader positioned at the cursor as of joining (safe however fast the producer runs) and
    /// returns that position.</summary>
    public long AddGatingAtCursor(GatingReader reader)
    {
        lock (_gatingLock)
        {
            // Hold the producer at the cursor we saw before joining; once the version bump is visible it gates on it.
            reader.PositionSequence.Value = Cursor;
            Volatile.Write(ref _gating, CopyOnWriteArray.With(_gating, reader));
            Interlocked.Increment(ref _gatingVersion);
            SpinWait spinner = default;
            while (true)
            {
                // Claimed can be at most one claim past what the producer saw without us (see remarks), and the
                // cursor only moves forward, so once cursor >= claimed + 1 - size it is a safe start.
                long start = Cursor;
                long oldest = Volatile.Read(ref _producer.Claimed) + 1 - Size;
                if (start >= oldest)
                {
                    Interlocked.Exchange(ref reader.PositionSequence.Raw, start);
                    OnGatingProgress(); // the producer may have been waiting on our provisional position
                    return start;
                }
                spinner.SpinOnce(); // only with several claims outstanding: the producer publishes them shortly
            }
        }
    }

    /// <summary>Registers a reader the producer never waits for, so a payload ring keeps what it has not read.</summary>
    public void AddReader(RingReader reader)
    {
        lock (_gatingLock)
        {
            _readers = CopyOnWriteArray.With(_readers, reader);
        }
    }

    /// <summary>Unregisters a non-gating reader.</summary>
    public void RemoveReader(RingReader reader)
    {
        lock (_gatingLock)
        {
            _readers = CopyOnWriteArray.Without(_readers, reader);
        }
    }

    /// <summary>The lowest position of every live reader, gating or not, or <see cref="long.MaxValue"/> when there is
    /// none. Caller holds <see cref="MembersLock"/>; positions only move forward, so a stale read only keeps more.</summary>
    internal long MinimumReaderPositionLocked()
    {
        long min = MinimumGatingPosition();
        RingReader[] readers = _readers;
        for (int i = 0; i < readers.Length; i++) min = Math.Min(min, readers[i].Position);
        return min;
    }

    /// <summary>Registers a session's start position (see <see cref="RetentionPin"/>).</summary>
    public void AddPin(RetentionPin pin)
    {
        lock (_gatingLock)
        {
            _pins = CopyOnWriteArray.With(_pins, pin);
        }
    }

    /// <summary>Unregisters a session's start position.</summary>
    public void RemovePin(RetentionPin pin)
    {
        lock (_gatingLock)
        {
            _pins = CopyOnWriteArray.Without(_pins, pin);
        }
    }

    /// <summary>The lowest pinned position, or <see cref="long.MaxValue"/> when no session is pinned. Caller holds
    /// <see cref="MembersLock"/>, so no pin joins or leaves while a trim uses the result.</summary>
    internal long MinimumPinPositionLocked()
    {
        RetentionPin[] pins = _pins;
        long min = long.MaxValue;
        for (int i = 0; i < pins.Length; i++) min = Math.Min(min, pins[i].Position);
        return min;
    }

    /// <summary>Removes a gating reader and wakes the producer in case it waited for it.</summary>
    public void RemoveGating(GatingReader reader)
    {
        lock (_gatingLock)
        {
            GatingReader[] old = _gating;
            GatingReader[] updated = CopyOnWriteArray.Without(old, reader);
            if (ReferenceEquals(updated, old)) return;
            Volatile.Write(ref _gating, updated);
            Interlocked.Increment(ref _gatingVersion);
        }
        OnGatingProgress();
    }
}
