using System.Buffers;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace GatewayProxy.Ring.Memory;

/// <summary>
/// The producer's side of a payload ring's byte log: the payload in progress is written straight into the current
/// block, after room for its metadata, and stays there once published. No 4 KiB minimum and no allocation per event:
/// a block holds as many records as fit.
/// </summary>
/// <remarks>
/// A payload that outgrows the current block's remainder moves once to a fresh pooled segment, or, when it is larger
/// than a segment, to a dedicated pooled array that holds it alone (growing geometrically while its size is unknown,
/// as an inflater writes it). Only the producer uses this object; a seqlock reader never reads the record in progress.
/// </remarks>
public sealed class PayloadWriter : IBufferWriter<byte>
{
    private readonly PayloadLog _log;
    private readonly int _headerSize;
    private byte[] _head = [];
    private bool _headIsLarge;
    private int _used;
    private int _written;
    private long _headLast = -1;

    internal PayloadWriter(PayloadLog log, int headerSize)
    {
        _log = log;
        _headerSize = headerSize;
    }

    /// <summary>Payload bytes written since the last publish or <see cref="Reset"/>.</summary>
    public int WrittenCount => _written;

    /// <summary>The payload in progress, contiguous.</summary>
    public ReadOnlySpan<byte> WrittenSpan => _written == 0 ? default : new ReadOnlySpan<byte>(_head, _used + _headerSize, _written);

    /// <summary>Discards the payload in progress.</summary>
    public void Reset()
    {
        _written = 0;
        if (_headIsLarge) LeaveHead();
    }

    /// <summary>Appends <paramref name="data"/>.</summary>
    public void Write(ReadOnlySpan<byte> data)
    {
        data.CopyTo(GetSpan(data.Length));
        _written += data.Length;
    }

    /// <inheritdoc/>
    public void Advance(int count)
    {
        if ((uint)count > (uint)(_head.Length - _used - _headerSize - _written)) ThrowBadAdvance(count);
        _written += count;
    }

    /// <inheritdoc/>
    public Memory<byte> GetMemory(int sizeHint = 0)
    {
        EnsureFree(sizeHint);
        return _head.AsMemory(_used + _headerSize + _written);
    }

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Span<byte> GetSpan(int sizeHint = 0)
    {
        EnsureFree(sizeHint);
        return _head.AsSpan(_used + _headerSize + _written);
    }

    /// <summary>Ends the record in progress as <paramref name="sequence"/>: points <paramref name="slot"/> at it and
    /// returns the room for its metadata. The caller writes the metadata, then publishes.</summary>
    internal Span<byte> Commit(long sequence, ref PayloadRef slot)
    {
        if (_head.Length - _used < _headerSize) Move(0); // an empty payload still needs its metadata's room
        int offset = _used;
        slot.Block = _head;
        slot.Offset = offset;
        slot.Length = _written;
        slot.Time = _log.Memory.Now;
        Span<byte> header = _head.AsSpan(offset, _headerSize);
        _used = Math.Min(_head.Length, (offset + _headerSize + _written + 7) & ~7);
        _written = 0;
        _headLast = sequence;
        // A dedicated array holds one record: the next payload starts in a segment.
        if (_headIsLarge) LeaveHead();
        return header;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void EnsureFree(int sizeHint)
    {
        if (_head.Length - _used - _headerSize - _written < Math.Max(sizeHint, 1)) Move(sizeHint);
    }

    /// <summary>Moves the record in progress to a block with room for <paramref name="sizeHint"/> more bytes.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private void Move(int sizeHint)
    {
        long required = (long)_headerSize + _written + Math.Max(sizeHint, 1);
        if (required > Array.MaxLength) ThrowTooLarge(required);

        // Trim first: the pool then often hands back a block this log just freed.
        _log.Trim();
        RingMemory memory = _log.Memory;
        SegmentPool pool = memory.Pool;
        byte[] next;
        IMemoryOwner<byte>? segment = null;
        if (required <= pool.BlockSize)
        {
            memory.MakeRoom(pool.BlockSize);
            segment = pool.Rent();
            MemoryMarshal.TryGetArray<byte>(segment.Memory, out ArraySegment<byte> array);
            next = array.Array!;
        }
        else
        {
            long grown = _headIsLarge ? Math.Max(required, Math.Min(2L * _head.Length, Array.MaxLength)) : required;
            memory.MakeRoom(grown);
            next = ArrayPool<byte>.Shared.Rent((int)grown);
        }

        if (_written > 0) _head.AsSpan(_used + _headerSize, _written).CopyTo(next.AsSpan(_headerSize));
        lock (_log.SyncRoot)
        {
            if (_log.IsDisposedLocked)
            {
                segment?.Dispose();
                if (segment is null) ArrayPool<byte>.Shared.Return(next);
                ThrowDisposed();
            }

            LeaveHeadLocked();
            _log.AppendHeadLocked(next, segment);
        }

        _head = next;
        _headIsLarge = segment is null;
        _used = 0;
        _headLast = -1;
    }

    /// <summary>Stops writing into the current block: kept when it holds a published record, freed otherwise.</summary>
    private void LeaveHead()
    {
        lock (_log.SyncRoot) LeaveHeadLocked();
        _head = [];
        _headIsLarge = false;
        _used = 0;
        _headLast = -1;
    }

    private void LeaveHeadLocked()
    {
        if (_head.Length == 0 || _log.IsDisposedLocked) return;
        if (_headLast >= 0) _log.RetireHeadLocked(_headLast);
        else _log.DropHeadLocked();
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ThrowBadAdvance(int count) =>
        throw new ArgumentOutOfRangeException(nameof(count), count, "Advance past the span GetSpan returned.");

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ThrowTooLarge(long size) =>
        throw new InsufficientMemoryException($"A ring payload of {size} bytes does not fit one array.");

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ThrowDisposed() => throw new ObjectDisposedException(nameof(PayloadRing<int>));
}
