namespace GatewayProxy.Cache;

/// <summary>One collection of a guild (id → entity), mutable only by the writer while its <see cref="Epoch"/> is current.</summary>
/// <remarks>
/// Copy-on-write by snapshot epoch, in two levels: the map is an array of small chunks (ids spread by a hash), each
/// packing its entities' JSON in one byte array (<see cref="EntityChunk"/>), so the first change after a snapshot
/// copies the chunk array and one chunk, not a 100k-member collection, and no entity is an object of its own.
/// Enumeration order is the chunks' order: GUILD_CREATE arrays carry no order contract.
/// </remarks>
internal sealed partial class EntityMap
{
    /// <summary>Bytes charged per entity on top of its JSON.</summary>
    public const int EntryOverhead = EntityChunk.EntryOverhead;

    /// <summary>Average entities per chunk the map aims at; it doubles its chunks when they hold twice that.</summary>
    private const int ChunkTarget = 64;

    /// <summary>An empty map no writer ever changes (its epoch is never current).</summary>
    public static readonly EntityMap Empty = new(-1, 0);

    private EntityChunk?[] _chunks;

    /// <summary>Creates an empty map writable in <paramref name="epoch"/>, sized for <paramref name="capacity"/> entities.</summary>
    public EntityMap(long epoch, int capacity)
    {
        Epoch = epoch;
        _chunks = new EntityChunk?[ChunksFor(capacity)];
    }

    private EntityMap(EntityMap source, long epoch)
    {
        Epoch = epoch;
        _chunks = (EntityChunk?[])source._chunks.Clone();
        Count = source.Count;

        // The shared entries carry the source's refill marks: the copy continues its sequence, so its next refill's mark is new to them.
        _refillMark = source._refillMark;
    }

    /// <summary>The snapshot epoch this map was created in; the writer changes it only in that epoch.</summary>
    public long Epoch { get; }

    /// <summary>How many entities the map holds.</summary>
    public int Count { get; private set; }

    /// <summary>Approximate bytes of the whole collection (its arrays as allocated).</summary>
    public long ApproximateBytes
    {
        get
        {
            long bytes = 48 + 24 + (8L * _chunks.Length);
            foreach (EntityChunk? chunk in _chunks)
            {
                bytes += chunk?.ApproximateBytes ?? 0;
            }

            return bytes;
        }
    }

    /// <summary>A writable copy for <paramref name="epoch"/>: a new chunk array sharing the chunks (each copied when first changed).</summary>
    public EntityMap Clone(long epoch) => new(this, epoch);

    /// <summary>The entity stored under <paramref name="id"/>.</summary>
    public bool TryGetValue(ulong id, out CachedEntity entity)
    {
        EntityChunk? chunk = _chunks[IndexOf(id, _chunks.Length)];
        int index = chunk?.IndexOf(id) ?? -1;
        if (index >= 0)
        {
            entity = chunk!.EntityAt(index);
            return true;
        }

        entity = default;
        return false;
    }

    /// <summary>True when an entity is stored under <paramref name="id"/>.</summary>
    public bool ContainsKey(ulong id) => _chunks[IndexOf(id, _chunks.Length)]?.IndexOf(id) >= 0;

    /// <summary>Copies every id into <paramref name="destination"/> (at least <see cref="Count"/> long), in enumeration order.</summary>
    public void CopyKeysTo(ulong[] destination)
    {
        int i = 0;
        foreach (KeyValuePair<ulong, CachedEntity> pair in this)
        {
            destination[i++] = pair.Key;
        }
    }

    /// <summary>Adds an entity in a bulk load (GUILD_CREATE, list replacements): no headroom, most entities never change.</summary>
    public void Load(ulong id, ReadOnlySpan<byte> json, bool notable)
    {
        if (WritableChunk(id).Set(id, json, notable, 0, headroom: false, out _))
        {
            Added();
        }
    }

    /// <summary>Stores a copy of <paramref name="entity"/> (read from another map).</summary>
    public void Put(ulong id, CachedEntity entity) => Load(id, entity.Json, entity.Notable);

    /// <summary>Adds or replaces one entity, in place when its chunk is of this epoch and it fits; returns the byte delta.</summary>
    /// <remarks>Writer only, on a map of the current epoch.</remarks>
    public long Set(ulong id, ReadOnlySpan<byte> json, bool notable)
    {
        if (WritableChunk(id).Set(id, json, notable, 0, headroom: true, out int delta))
        {
            Added();
            return EntryOverhead + json.Length;
        }

        return delta;
    }

    /// <summary>Removes one entity; returns the byte delta (0 when it was not there, and then nothing is copied).</summary>
    public long Delete(ulong id)
    {
        if (!ContainsKey(id))
        {
            return 0;
        }

        EntityChunk chunk = WritableChunk(id);
        int length = chunk.RemoveAt(chunk.IndexOf(id));
        Count--;
        return -(EntryOverhead + length);
    }

    /// <summary>Walks every entity without allocating.</summary>
    public Enumerator GetEnumerator() => new(_chunks);

    /// <summary>The chunk of <paramref name="id"/>, created or copied first when this epoch does not own it.</summary>
    private EntityChunk WritableChunk(ulong id)
    {
        int index = IndexOf(id, _chunks.Length);
        EntityChunk? chunk = _chunks[index];
        if (chunk is null)
        {
            chunk = new EntityChunk(Epoch, 0, 0);
            _chunks[index] = chunk;
        }
        else if (chunk.Epoch != Epoch)
        {
            chunk = chunk.Clone(Epoch);
            _chunks[index] = chunk;
        }

        return chunk;
    }

    private void Added()
    {
        Count++;
        if (Count > _chunks.Length * ChunkTarget * 2)
        {
            Grow();
        }
    }

    /// <summary>Doubles the chunks (amortized over the adds that filled them; never on an update of an existing entity).</summary>
    private void Grow()
    {
        var chunks = new EntityChunk?[_chunks.Length * 2];
        Distribute(chunks);
        _chunks = chunks;
    }

    /// <summary>Moves every entity into <paramref name="chunks"/>, each new chunk sized exactly (one counting pass first).</summary>
    private void Distribute(EntityChunk?[] chunks)
    {
        int[] counts = new int[chunks.Length];
        int[] bytes = new int[chunks.Length];
        foreach (EntityChunk? chunk in _chunks)
        {
            for (int i = 0; i < (chunk?.Count ?? 0); i++)
            {
                int index = IndexOf(chunk!.IdAt(i), chunks.Length);
                counts[index]++;
                bytes[index] += chunk.LengthAt(i);
            }
        }

        foreach (EntityChunk? chunk in _chunks)
        {
            byte[] data = chunk?.ReadData() ?? [];
            for (int i = 0; i < (chunk?.Count ?? 0); i++)
            {
                ulong id = chunk!.IdAt(i);
                int index = IndexOf(id, chunks.Length);
                CachedEntity entity = chunk.EntityAt(i, data);
                EntityChunk target = chunks[index] ??= new EntityChunk(Epoch, counts[index], bytes[index]);
                target.Set(id, entity.Json, entity.Notable, chunk.MarkAt(i), headroom: false, out _);
            }
        }
    }

    /// <summary>A map of <paramref name="epoch"/> holding the entities of <paramref name="batch"/>, its chunks sized exactly (and compressed when <paramref name="compress"/>).</summary>
    public static EntityMap FromBatch(long epoch, EntityBatch batch, bool compress)
    {
        var map = new EntityMap(epoch, batch.Count);
        int chunkCount = map._chunks.Length;
        int[] counts = new int[chunkCount];
        int[] bytes = new int[chunkCount];
        for (int i = 0; i < batch.Count; i++)
        {
            int index = IndexOf(batch.IdAt(i), chunkCount);
            counts[index]++;
            bytes[index] += batch.LengthAt(i);
        }

        for (int i = 0; i < batch.Count; i++)
        {
            ulong id = batch.IdAt(i);
            int index = IndexOf(id, chunkCount);
            EntityChunk chunk = map._chunks[index] ??= new EntityChunk(epoch, counts[index], bytes[index]);

            // A repeated id replaces the earlier one (as the array's last word): counted once.
            if (chunk.Set(id, batch.JsonAt(i), batch.NotableAt(i), 0, headroom: false, out _))
            {
                map.Count++;
            }
        }

        if (compress)
        {
            map.Freeze();
        }

        return map;
    }

    /// <summary>Compresses every chunk of this epoch (see <see cref="EntityChunk.Freeze"/>); writer only, on a map no snapshot can see.</summary>
    public void Freeze()
    {
        foreach (EntityChunk? chunk in _chunks)
        {
            if (chunk is not null && chunk.Epoch == Epoch)
            {
                chunk.Freeze();
            }
        }
    }

    /// <summary>True when some chunk is uncompressed, holds entities and was last changed at or before <paramref name="coldBefore"/>.</summary>
    public bool HasCold(long coldBefore)
    {
        foreach (EntityChunk? chunk in _chunks)
        {
            if (chunk is { IsCompressed: false, Count: > 0 } && chunk.Touched <= coldBefore)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Compresses the chunks <see cref="HasCold"/> finds (a chunk a snapshot may hold is replaced by a compressed copy); writer only, current epoch.</summary>
    public void FreezeCold(long coldBefore)
    {
        for (int i = 0; i < _chunks.Length; i++)
        {
            if (_chunks[i] is { IsCompressed: false, Count: > 0 } chunk && chunk.Touched <= coldBefore)
            {
                if (chunk.Epoch != Epoch)
                {
                    chunk = chunk.Clone(Epoch);
                    _chunks[i] = chunk;
                }

                chunk.Freeze();
            }
        }
    }

    /// <summary>The chunk count growth would have reached for <paramref name="capacity"/> adds.</summary>
    private static int ChunksFor(int capacity)
    {
        int chunks = 1;
        while (chunks * ChunkTarget * 2 < capacity)
        {
            chunks *= 2;
        }

        return chunks;
    }

    /// <summary>Spreads snowflakes (whose low bits are a per-process counter) over a power-of-two number of chunks.</summary>
    private static int IndexOf(ulong id, int chunks) => (int)((id * 0x9E3779B97F4A7C15UL) >> 40) & (chunks - 1);
}
