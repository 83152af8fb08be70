using System.Runtime.InteropServices;

namespace GatewayProxy.Cache;

/// <summary>
/// Refilling a map no snapshot can see (a guild back from an outage) in place: its chunks, dictionary storage and entity
/// buffers are reused for the entities of the new GUILD_CREATE, instead of building the whole collection anew.
/// </summary>
/// <remarks>
/// Mark and sweep: <see cref="BeginRefill"/> starts a new mark, <see cref="Refill"/> stamps each entity it writes, and
/// <see cref="EndRefill"/> removes whatever the refill did not write. A refill abandoned midway (malformed GUILD_CREATE)
/// leaves an older mark behind, which the next refill sweeps like any other.
/// </remarks>
internal sealed partial class EntityMap
{
    // The mark of the refill in progress (1..255; 0 is every entry written outside a refill).
    private byte _refillMark;

    /// <summary>Starts a refill; writer only, on a map of <see cref="Epoch"/> that no snapshot can see.</summary>
    public void BeginRefill() => _refillMark = _refillMark == byte.MaxValue ? (byte)1 : (byte)(_refillMark + 1);

    /// <summary>Writes one entity of the refill: into its old buffer when this epoch owns it and it fits, else into a spare or a new one.</summary>
    public void Refill(ulong id, ReadOnlySpan<byte> json, bool notable)
    {
        ref CachedEntity slot = ref CollectionsMarshal.GetValueRefOrAddDefault(WritableChunk(id), id, out bool exists);
        byte[]? buffer = exists && slot.Epoch == Epoch && json.Length <= slot.Buffer.Length ? slot.Buffer : TakeSpare(json.Length);

        // Headroom as in Set: an entity that outgrew its buffer is one that changes.
        buffer ??= new byte[exists ? json.Length + (json.Length >> 3) + 16 : json.Length];
        json.CopyTo(buffer);
        slot = new CachedEntity(buffer, json.Length, notable, Epoch, _refillMark);
        if (!exists)
        {
            Added();
        }
    }

    /// <summary>Ends a refill: removes every entity it did not write (their buffers of this epoch become spares).</summary>
    public void EndRefill()
    {
        for (int i = 0; i < _chunks.Length; i++)
        {
            EntityChunk? chunk = _chunks[i];
            if (chunk is null)
            {
                continue;
            }

            if (chunk.Epoch != Epoch)
            {
                // The refill wrote nothing here (it would have copied the chunk): all of it is gone, and snapshots may
                // hold the chunk, so it is dropped, not emptied.
                Count -= chunk.Count;
                _chunks[i] = null;
                continue;
            }

            foreach (KeyValuePair<ulong, CachedEntity> pair in chunk)
            {
                if (pair.Value.RefillMark != _refillMark)
                {
                    // Removing the current entry while enumerating is allowed (Remove does not invalidate enumerators).
                    chunk.Remove(pair.Key);
                    Count--;
                    if (pair.Value.Epoch == Epoch)
                    {
                        KeepSpare(pair.Value.Buffer);
                    }
                }
            }
        }
    }
}
