namespace GatewayProxy.Ring.Memory;

/// <summary>
/// A payload ring's byte log: the blocks its records live in, oldest first, and the trimming that gives them back.
/// </summary>
/// <remarks>
/// The writer (<see cref="PayloadWriter"/>) fills the newest block lock-free and takes the ring's members lock only
/// when it moves to another block; trims take the same lock, compute the floor from the readers they see, publish it
/// and only then free the blocks wholly below it (docs/architecture.md, "Ring memory"). The writer's current block is
/// never freed by a trim.
/// </remarks>
internal sealed partial class PayloadLog
{
    private readonly RingSequencer _sequencer;
    private readonly PayloadRef[] _slots;
    private LogBlock[] _blocks = new LogBlock[8];
    private int _first;
    private int _count;
    private bool _tailIsHead;
    private long _heldBytes;
    private long _limitTrims;
    private bool _disposed;

    public PayloadLog(RingSequencer sequencer, PayloadRef[] slots, RingMemory memory)
    {
        _sequencer = sequencer;
        _slots = slots;
        Memory = memory;
    }

    /// <summary>The process-wide budget, clock and pool this log uses.</summary>
    public RingMemory Memory { get; }

    /// <summary>The ring's members lock (readers, floor and blocks).</summary>
    public Lock SyncRoot => _sequencer.MembersLock;

    /// <summary>Bytes of the blocks held now (the writer's current one included).</summary>
    public long HeldBytes => Volatile.Read(ref _heldBytes);

    /// <summary>Trims forced by the process-wide limit.</summary>
    public long LimitTrims => Volatile.Read(ref _limitTrims);

    /// <summary>Blocks held now.</summary>
    public int BlockCount
    {
        get
        {
            lock (SyncRoot) return _count;
        }
    }

    /// <summary><see cref="RingMemory"/>'s mark: this log had nothing to give in the reclaim round of that number.</summary>
    internal int ReclaimRound;

    /// <summary>Adds the writer's new current block (caller holds <see cref="SyncRoot"/>).</summary>
    public void AppendHeadLocked(byte[] array, System.Buffers.IMemoryOwner<byte>? segment)
    {
        if (_count == _blocks.Length)
        {
            var bigger = new LogBlock[_blocks.Length * 2];
            for (int i = 0; i < _count; i++) bigger[i] = _blocks[(_first + i) & (_blocks.Length - 1)];
            _blocks = bigger;
            _first = 0;
        }

        _blocks[(_first + _count) & (_blocks.Length - 1)] = new LogBlock { Array = array, Segment = segment, LastSequence = -1 };
        _count++;
        _tailIsHead = true;
        Volatile.Write(ref _heldBytes, _heldBytes + array.Length);
        Memory.OnHeld(array.Length);
    }

    /// <summary>The writer moved on from its current block, whose newest record is <paramref name="lastSequence"/>;
    /// it stays until trimmed (caller holds <see cref="SyncRoot"/>).</summary>
    public void RetireHeadLocked(long lastSequence)
    {
        if (!_tailIsHead) return;
        _blocks[(_first + _count - 1) & (_blocks.Length - 1)].LastSequence = lastSequence;
        _tailIsHead = false;
    }

    /// <summary>The writer's current block holds no published record: freed now (caller holds <see cref="SyncRoot"/>).</summary>
    public void DropHeadLocked()
    {
        if (!_tailIsHead) return;
        int index = (_first + _count - 1) & (_blocks.Length - 1);
        FreeLocked(ref _blocks[index]);
        _count--;
        _tailIsHead = false;
    }

    /// <summary>Frees the blocks wholly below the floor, oldest first, never the writer's current one (caller holds
    /// <see cref="SyncRoot"/>, and the floor was published before this call).</summary>
    private void ReleaseBelowFloorLocked()
    {
        long floor = _sequencer.Floor;
        int keep = _tailIsHead ? 1 : 0;
        while (_count > keep)
        {
            ref LogBlock oldest = ref _blocks[_first];
            if (oldest.LastSequence >= floor) break;
            FreeLocked(ref oldest);
            _first = (_first + 1) & (_blocks.Length - 1);
            _count--;
        }
    }

    private void FreeLocked(ref LogBlock block)
    {
        int length = block.Array.Length;
        block.Free();
        block = default;
        Volatile.Write(ref _heldBytes, _heldBytes - length);
        Memory.OnHeld(-length);
    }
}
