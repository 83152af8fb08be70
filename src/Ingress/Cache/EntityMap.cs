using System.Runtime.InteropServices;

namespace GatewayProxy.Ingress.Cache;

/// <summary>One collection of a guild (id → entity), mutable only by the writer while its <see cref="Epoch"/> is current.</summary>
/// <remarks>
/// Copy-on-write by snapshot epoch: a map of an older epoch may be referenced by a snapshot, so the writer clones it
/// (entries share their buffers, which keep their older epoch and so are never overwritten) before changing it.
/// Enumeration order is insertion order with reused slots: GUILD_CREATE arrays carry no order contract.
/// </remarks>
internal sealed class EntityMap : Dictionary<ulong, CachedEntity>
{
    /// <summary>Bytes charged per entity on top of its JSON: array header plus the dictionary entry and bucket.</summary>
    public const int EntryOverhead = 24 + 48;

    /// <summary>An empty map no writer ever changes (its epoch is never current).</summary>
    public static readonly EntityMap Empty = new(-1, 0);

    /// <summary>Creates an empty map writable in <paramref name="epoch"/>.</summary>
    public EntityMap(long epoch, int capacity)
        : base(capacity)
    {
        Epoch = epoch;
    }

    private EntityMap(EntityMap source, long epoch)
        : base(source)
    {
        Epoch = epoch;
    }

    /// <summary>The snapshot epoch this map was created in; the writer changes it only in that epoch.</summary>
    public long Epoch { get; }

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

    /// <summary>A writable copy for <paramref name="epoch"/>, sharing the entity buffers.</summary>
    public EntityMap Clone(long epoch) => new(this, epoch);

    /// <summary>Adds a new entity with an exact-size buffer (bulk loads: GUILD_CREATE, list replacements).</summary>
    public void Load(ulong id, ReadOnlySpan<byte> json, bool notable)
    {
        this[id] = new CachedEntity(json.ToArray(), json.Length, notable, Epoch);
    }

    /// <summary>Adds or replaces one entity, overwriting its buffer in place when this epoch owns it and it fits; returns the byte delta.</summary>
    /// <remarks>Writer only, on a map of the current epoch.</remarks>
    public long Set(ulong id, ReadOnlySpan<byte> json, bool notable)
    {
        ref CachedEntity slot = ref CollectionsMarshal.GetValueRefOrAddDefault(this, id, out bool exists);
        if (!exists)
        {
            slot = new CachedEntity(json.ToArray(), json.Length, notable, Epoch);
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

    /// <summary>Removes one entity; returns the byte delta (0 when it was not there).</summary>
    public long Delete(ulong id) => Remove(id, out CachedEntity old) ? -(EntryOverhead + old.Length) : 0;
}
