using System.Buffers;
using System.Runtime.CompilerServices;
using K4os.Compression.LZ4;

namespace GatewayProxy.Cache;

/// <summary>
/// One chunk of an <see cref="EntityMap"/>: up to a few hundred entities as UTF-8 JSON packed in one byte array, with an
/// id array and a slot array beside it (no object per entity); the unit the writer copies after a snapshot.
/// </summary>
/// <remarks>
/// The writer changes a chunk, its arrays included, only in <see cref="Epoch"/>: a chunk a snapshot may hold is copied
/// first (see <see cref="EntityMap"/>), so the bytes a snapshot reads are never written again. An entity is overwritten
/// in place when its new JSON fits its slot's capacity, else moved to the end (with headroom: an entity that grew once
/// usually does again); the space it left is reclaimed by compacting in place when the array is full.
/// </remarks>
internal sealed class EntityChunk
{
    /// <summary>Bytes charged per entity on top of its JSON: its id and slot.</summary>
    public const int EntryOverhead = sizeof(ulong) + 16;

    /// <summary>Bytes charged per chunk: this object and the headers of its three arrays.</summary>
    public const int ChunkOverhead = 48 + (3 * 24);

    private ulong[] _ids;
    private Slot[] _slots;
    private byte[] _data;
    private int _used;
    private int _dead;

    // >= 0: _data is the LZ4 block of this many bytes of packed entities (see Freeze); -1: _data is the entities.
    private int _rawLength = -1;

    // When the chunk was last changed or decompressed for a change (Environment.TickCount64), for the cold sweep.
    private long _touched;

    /// <summary>Creates an empty chunk writable in <paramref name="epoch"/>, with room for <paramref name="capacity"/> entities and <paramref name="bytes"/> of JSON.</summary>
    public EntityChunk(long epoch, int capacity, int bytes)
    {
        Epoch = epoch;
        _ids = capacity == 0 ? [] : new ulong[capacity];
        _slots = capacity == 0 ? [] : new Slot[capacity];
        _data = bytes == 0 ? [] : new byte[bytes];
    }

    private EntityChunk(EntityChunk source, long epoch)
    {
        // Copied compactly: the copy's arrays are its own, so it may write them; the source's stay as snapshots saw them.
        Epoch = epoch;
        Count = source.Count;
        _touched = source._touched;
        _ids = source._ids.AsSpan(0, Count).ToArray();
        _slots = new Slot[Count];
        byte[] sourceData = source.ReadData();
        _data = new byte[source.IsCompressed ? source._rawLength : source._used - source._dead];
        int at = 0;
        for (int i = 0; i < Count; i++)
        {
            Slot slot = source._slots[i];
            sourceData.AsSpan(slot.Offset, slot.Length).CopyTo(_data.AsSpan(at));
            _slots[i] = new Slot(at, slot.Length, slot.Length, slot.Notable, slot.Mark);
            at += slot.Length;
        }

        _used = at;
    }

    /// <summary>The snapshot epoch this chunk was created in; the writer changes it only in that epoch.</summary>
    public long Epoch { get; }

    /// <summary>How many entities the chunk holds.</summary>
    public int Count { get; private set; }

    /// <summary>True while the entities are held LZ4-compressed (see <see cref="Freeze"/>).</summary>
    public bool IsCompressed => _rawLength >= 0;

    /// <summary>When the chunk was last changed (<see cref="Environment.TickCount64"/>).</summary>
    public long Touched => _touched;

    /// <summary>Approximate bytes held: the arrays as allocated, plus the object.</summary>
    public long ApproximateBytes => ChunkOverhead + _data.Length + ((long)_ids.Length * EntryOverhead);

    /// <summary>A writable copy for <paramref name="epoch"/>, with arrays of its own.</summary>
    public EntityChunk Clone(long epoch) => new(this, epoch);

    /// <summary>The position of <paramref name="id"/> in the chunk, or -1 (a vectorized search over the ids).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int IndexOf(ulong id) => _ids.AsSpan(0, Count).IndexOf(id);

    /// <summary>The id at <paramref name="index"/>.</summary>
    public ulong IdAt(int index) => _ids[index];

    /// <summary>The entity at <paramref name="index"/> (a compressed chunk is decompressed for it: walks use <see cref="ReadData"/> once).</summary>
    public CachedEntity EntityAt(int index) => EntityAt(index, ReadData());

    /// <summary>The entity at <paramref name="index"/>, in <paramref name="data"/> (what <see cref="ReadData"/> returned).</summary>
    public CachedEntity EntityAt(int index, byte[] data)
    {
        Slot slot = _slots[index];
        return new CachedEntity(data, slot.Offset, slot.Length, slot.Notable);
    }

    /// <summary>The packed entities: the data array itself, or a new decompressed copy of it (never written, so any reader may keep it).</summary>
    public byte[] ReadData()
    {
        if (_rawLength < 0)
        {
            return _data;
        }

        var raw = GC.AllocateUninitializedArray<byte>(_rawLength);
        if (LZ4Codec.Decode(_data, raw) != _rawLength)
        {
            ThrowCorrupt();
        }

        return raw;
    }

    /// <summary>
    /// Compresses the entities in place (LZ4 block) when that saves at least an eighth; writer only, in <see cref="Epoch"/>.
    /// The next change decompresses them again (<see cref="Thaw"/>); readers decompress a copy.
    /// </summary>
    public void Freeze()
    {
        if (IsCompressed || Count == 0)
        {
            return;
        }

        if (_dead > 0 || _used < _data.Length)
        {
            CompactInPlace();
        }

        int raw = _used;
        byte[] scratch = ArrayPool<byte>.Shared.Rent(LZ4Codec.MaximumOutputSize(raw));
        int compressed = LZ4Codec.Encode(_data.AsSpan(0, raw), scratch);
        if (compressed > 0 && compressed <= raw - (raw >> 3))
        {
            _data = scratch.AsSpan(0, compressed).ToArray();
            _rawLength = raw;
        }
        else if (_data.Length > raw)
        {
            Array.Resize(ref _data, raw);
        }

        ArrayPool<byte>.Shared.Return(scratch);
    }

    /// <summary>Makes the entities writable again (decompressed) before a change, and stamps the change time.</summary>
    private void Thaw()
    {
        if (_rawLength >= 0)
        {
            _data = ReadData();
            _used = _rawLength;
            _dead = 0;
            _rawLength = -1;
        }

        _touched = Environment.TickCount64;
    }

    [System.Diagnostics.CodeAnalysis.DoesNotReturn]
    private static void ThrowCorrupt() => throw new InvalidOperationException("A compressed cache chunk did not decompress to its size.");

    /// <summary>The JSON length of the entity at <paramref name="index"/>.</summary>
    public int LengthAt(int index) => _slots[index].Length;

    /// <summary>The refill mark of the entity at <paramref name="index"/> (see <see cref="EntityMap.BeginRefill"/>).</summary>
    public byte MarkAt(int index) => _slots[index].Mark;

    /// <summary>Adds or replaces <paramref name="id"/>; true when it was new. Writer only, in <see cref="Epoch"/>.</summary>
    /// <param name="headroom">Give a moved entity room to grow (updates), or not (bulk loads: most entities never change).</param>
    public bool Set(ulong id, ReadOnlySpan<byte> json, bool notable, byte mark, bool headroom, out int lengthDelta)
    {
        Thaw();
        int index = IndexOf(id);
        if (index >= 0)
        {
            ref Slot slot = ref _slots[index];
            lengthDelta = json.Length - slot.Length;
            if (json.Length <= slot.Capacity)
            {
                json.CopyTo(_data.AsSpan(slot.Offset));
                slot = new Slot(slot.Offset, json.Length, slot.Capacity, notable, mark);
                return false;
            }

            // Moved to the end: the old place is dead until a compaction.
            _dead += slot.Capacity;
            slot = new Slot(0, 0, 0, notable, mark);
            int capacity = headroom ? json.Length + (json.Length >> 3) + 16 : json.Length;
            int offset = Reserve(capacity);

            // Reserve may compact, which moves every slot: look this one up again.
            _slots[index] = new Slot(offset, json.Length, capacity, notable, mark);
            json.CopyTo(_data.AsSpan(offset));
            return false;
        }

        lengthDelta = json.Length;
        if (Count == _ids.Length)
        {
            int grown = Math.Max(4, Count + (Count >> 1));
            Array.Resize(ref _ids, grown);
            Array.Resize(ref _slots, grown);
        }

        int at = Reserve(json.Length);
        json.CopyTo(_data.AsSpan(at));
        _ids[Count] = id;
        _slots[Count] = new Slot(at, json.Length, json.Length, notable, mark);
        Count++;
        return true;
    }

    /// <summary>Removes the entity at <paramref name="index"/>, keeping the others in order; returns its JSON length. Writer only.</summary>
    public int RemoveAt(int index)
    {
        Thaw();
        Slot slot = _slots[index];
        _dead += slot.Capacity;
        int after = Count - index - 1;
        if (after > 0)
        {
            Array.Copy(_ids, index + 1, _ids, index, after);
            Array.Copy(_slots, index + 1, _slots, index, after);
        }

        Count--;
        if (Count == 0)
        {
            _used = 0;
            _dead = 0;
        }

        return slot.Length;
    }

    /// <summary>Room for <paramref name="length"/> bytes at the end of the data: compacting in place when that frees enough, else a bigger array.</summary>
    private int Reserve(int length)
    {
        if (_data.Length - _used < length)
        {
            int live = _used - _dead;
            if (_dead > 0 && _data.Length - live >= length && _dead >= (_data.Length >> 3))
            {
                CompactInPlace();
            }
            else
            {
                Compact(Math.Max(live + length, live + (live >> 2) + 64));
            }
        }

        int at = _used;
        _used += length;
        return at;
    }

    /// <summary>Moves the live entities to the front of the array, in offset order (each moves down, so none is overwritten before it moves).</summary>
    private void CompactInPlace()
    {
        int count = Count;
        int[]? rented = null;
        Span<int> order = count <= 256 ? stackalloc int[count] : (rented = ArrayPool<int>.Shared.Rent(count)).AsSpan(0, count);
        for (int i = 0; i < count; i++)
        {
            order[i] = i;
        }

        // Insertion sort by offset: chunks are small, and this runs only when the array is full.
        for (int i = 1; i < count; i++)
        {
            int item = order[i];
            int offset = _slots[item].Offset;
            int j = i - 1;
            while (j >= 0 && _slots[order[j]].Offset > offset)
            {
                order[j + 1] = order[j];
                j--;
            }

            order[j + 1] = item;
        }

        int at = 0;
        foreach (int i in order)
        {
            ref Slot slot = ref _slots[i];
            if (slot.Offset != at)
            {
                _data.AsSpan(slot.Offset, slot.Length).CopyTo(_data.AsSpan(at));
            }

            slot = new Slot(at, slot.Length, slot.Length, slot.Notable, slot.Mark);
            at += slot.Length;
        }

        if (rented is not null)
        {
            ArrayPool<int>.Shared.Return(rented);
        }

        _used = at;
        _dead = 0;
    }

    /// <summary>Copies the live entities into a new array of <paramref name="size"/> bytes.</summary>
    private void Compact(int size)
    {
        var data = new byte[size];
        int at = 0;
        for (int i = 0; i < Count; i++)
        {
            ref Slot slot = ref _slots[i];
            _data.AsSpan(slot.Offset, slot.Length).CopyTo(data.AsSpan(at));
            slot = new Slot(at, slot.Length, slot.Length, slot.Notable, slot.Mark);
            at += slot.Length;
        }

        _data = data;
        _used = at;
        _dead = 0;
    }

    /// <summary>Where one entity's JSON is: <see cref="Length"/> bytes at <see cref="Offset"/> in a place of <see cref="Capacity"/> bytes.</summary>
    private readonly struct Slot(int offset, int length, int capacity, bool notable, byte mark)
    {
        public readonly int Offset = offset;
        public readonly int Length = length;
        public readonly int Capacity = capacity;
        public readonly bool Notable = notable;
        public readonly byte Mark = mark;
    }
}
