using System.Runtime.InteropServices;

namespace GatewayProxy.Cache;

/// <summary>One collection of a guild (id → entity), mutable only by the writer while its <see cref="Epoch"/> is current.</summary>
/// <remarks>
/// Copy-on-write by snapshot epoch, in two levels: the map is an array of small chunks (ids spread by a hash), so the
/// first change after a snapshot copies the chunk array and one chunk, not a 100k-member dictionary. Entities copied
/// with a chunk share their buffers, which keep their older epoch and so are never overwritten. Enumeration order is
/// the chunks' order: GUILD_CREATE arrays carry no order contract.
/// </remarks>
internal sealed partial class EntityMap
{
    /// <summary>Bytes charged per entity on top of its JSON: array header plus the dictionary entry and bucket.</summary>
    public const int EntryOverhead = 24 + 48;

    /// <summary>Average entities per chunk the map aims at; it doubles its chunks when they hold twice that.</summary>
    private const int ChunkTarget = 64;

    /// <summary>An empty map no writer ever changes (its epoch is never current).</summary>
    public static readonly EntityMap Empty = new(-1, 0);

    /// <summary>Spare buffers a map keeps from its removed entities for the next new one (presences churn offline/online).</summary>
    private const int MaxSpares = 4;

    private EntityChunk?[] _chunks;

    // Buffers of entities removed in this epoch: no snapshot can see them, so a new entity may take one (see Delete).
    private byte[]?[]? _spares;

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

    /// <summary>Approximate bytes of the whole collection (JSON plus overheads).</summary>
    public long ApproximateBytes
    {
        get
        {
            long bytes = 0;
            foreach (KeyValuePair<ulong, CachedEntity> pair in this)
            {
                bytes += EntryOverhead + pair.Value.Length;
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
        if (chunk is not null)
        {
            return chunk.TryGetValue(id, out entity);
        }

        entity = default;
        return false;
    }

    /// <summary>True when an entity is stored under <paramref name="id"/>.</summary>
    public bool ContainsKey(ulong id) => _chunks[IndexOf(id, _chunks.Length)]?.ContainsKey(id) == true;

    /// <summary>Copies every id into <paramref name="destination"/> (at least <see cref="Count"/> long), in enumeration order.</summary>
    public void CopyKeysTo(ulong[] destination)
    {
        int i = 0;
        foreach (KeyValuePair<ulong, CachedEntity> pair in this)
        {
            destination[i++] = pair.Key;
        }
    }

    /// <summary>Adds a new entity (bulk loads: GUILD_CREATE, list replacements): into its buffer in <paramref name="recycle"/> when that one is of <paramref name="recycleEpoch"/> (so no snapshot sees it) and fits, else into an exact-size one.</summary>
    public void Load(ulong id, ReadOnlySpan<byte> json, bool notable, EntityMap? recycle = null, long recycleEpoch = -1)
    {
        byte[] buffer;
        if (recycle is not null && recycle.TryGetValue(id, out CachedEntity old) && old.Epoch == recycleEpoch && json.Length <= old.Buffer.Length)
        {
            buffer = old.Buffer;
            json.CopyTo(buffer);
        }
        else
        {
            buffer = json.ToArray();
        }

        Put(id, new CachedEntity(buffer, json.Length, notable, Epoch));
    }

    /// <summary>Stores <paramref name="entity"/> as it is (its buffer may belong to an older epoch: it is then never overwritten).</summary>
    public void Put(ulong id, CachedEntity entity)
    {
        ref CachedEntity slot = ref CollectionsMarshal.GetValueRefOrAddDefault(WritableChunk(id), id, out bool exists);

        // Unmarked: a mark from another map's refills means nothing in this one's.
        slot = new CachedEntity(entity.Buffer, entity.Length, entity.Notable, entity.Epoch);
        if (!exists)
        {
            Added();
        }
    }

    /// <summary>Adds or replaces one entity, overwriting its buffer in place when this epoch owns it and it fits; returns the byte delta.</summary>
    /// <remarks>Writer only, on a map of the current epoch.</remarks>
    public long Set(ulong id, ReadOnlySpan<byte> json, bool notable)
    {
        ref CachedEntity slot = ref CollectionsMarshal.GetValueRefOrAddDefault(WritableChunk(id), id, out bool exists);
        if (!exists)
        {
            byte[]? fresh = TakeSpare(json.Length);
            if (fresh is null)
            {
                fresh = json.ToArray();
            }
            else
            {
                json.CopyTo(fresh);
            }

            slot = new CachedEntity(fresh, json.Length, notable, Epoch);
            Added();
            return EntryOverhead + json.Length;
        }

        long delta = json.Length - slot.Length;
        byte[] buffer = slot.Buffer;
        if (slot.Epoch != Epoch || json.Length > buffer.Length)
        {
            // Shared with a snapshot or too small: a new buffer, with headroom since this entity does change.
            buffer = new byte[json.Length + (json.Length >> 3) + 16];
        }

        json.CopyTo(buffer);
        slot = new CachedEntity(buffer, json.Length, notable, Epoch);
        return delta;
    }

    /// <summary>Removes one entity; returns the byte delta (0 when it was not there, and then nothing is copied).</summary>
    public long Delete(ulong id)
    {
        if (!ContainsKey(id))
        {
            return 0;
        }

        WritableChunk(id).Remove(id, out CachedEntity old);
        Count--;
        if (old.Epoch == Epoch)
        {
            // Allocated in this epoch, so no snapshot holds it, and it is no longer in the map: free to reuse.
            KeepSpare(old.Buffer);
        }

        return -(EntryOverhead + old.Length);
    }

    private void KeepSpare(byte[] buffer)
    {
        _spares ??= new byte[MaxSpares][];
        for (int i = 0; i < _spares.Length; i++)
        {
            if (_spares[i] is null)
            {
                _spares[i] = buffer;
                return;
            }
        }
    }

    private byte[]? TakeSpare(int length)
    {
        if (_spares is null)
        {
            return null;
        }

        for (int i = 0; i < _spares.Length; i++)
        {
            if (_spares[i] is { } spare && spare.Length >= length)
            {
                _spares[i] = null;
                return spare;
            }
        }

        return null;
    }

    /// <summary>Gives back the slack a bulk load left in this epoch's chunks (guild memory; GUILD_CREATE is not a hot path).</summary>
    public void TrimExcess()
    {
        foreach (EntityChunk? chunk in _chunks)
        {
            if (chunk is not null && chunk.Epoch == Epoch)
            {
                chunk.TrimExcess();
            }
        }
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
            chunk = new EntityChunk(Epoch, 0);
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
        foreach (EntityChunk? chunk in _chunks)
        {
            if (chunk is null)
            {
                continue;
            }

            foreach (KeyValuePair<ulong, CachedEntity> pair in chunk)
            {
                int index = IndexOf(pair.Key, chunks.Length);
                (chunks[index] ??= new EntityChunk(Epoch, ChunkTarget))[pair.Key] = pair.Value;
            }
        }

        _chunks = chunks;
    }

    /// <summary>The chunk count growth would have reached for <paramref name="capacity"/> adds, so a map rebuilt from a
    /// GUILD_CREATE (state-file restore) keeps the order of the map it was saved from.</summary>
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
