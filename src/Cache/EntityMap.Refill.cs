namespace GatewayProxy.Cache;

/// <summary>
/// Refilling a map no snapshot can see (a guild back from an outage) in place: its chunks and their arrays are reused
/// for the entities of the new GUILD_CREATE, instead of building the whole collection anew.
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

    /// <summary>Writes one entity of the refill: in place when it fits its old place, else moved within its chunk.</summary>
    public void Refill(ulong id, ReadOnlySpan<byte> json, bool notable)
    {
        // Headroom as in Set: an entity that outgrew its place is one that changes.
        if (WritableChunk(id).Set(id, json, notable, _refillMark, headroom: true, out _))
        {
            Added();
        }
    }

    /// <summary>Ends a refill: removes every entity it did not write.</summary>
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

            for (int j = chunk.Count - 1; j >= 0; j--)
            {
                if (chunk.MarkAt(j) != _refillMark)
                {
                    chunk.RemoveAt(j);
                    Count--;
                }
            }
        }
    }
}
