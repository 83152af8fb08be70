namespace GatewayProxy.Cache;

/// <summary>One cached entity: its compact JSON object in a reusable buffer, plus a flag precomputed at store time.</summary>
/// <remarks>
/// <see cref="Epoch"/> is the snapshot epoch the buffer was allocated in: the writer overwrites the buffer in place only
/// in that same epoch (no snapshot can see it yet), so a buffer a snapshot references is never written again.
/// </remarks>
internal readonly struct CachedEntity
{
    /// <summary>Creates an entry over the first <paramref name="length"/> bytes of <paramref name="buffer"/>.</summary>
    public CachedEntity(byte[] buffer, int length, bool notable, long epoch, byte refillMark = 0)
    {
        Buffer = buffer;
        Length = length;
        Notable = notable;
        Epoch = epoch;
        RefillMark = refillMark;
    }

    /// <summary>Holds the JSON in its first <see cref="Length"/> bytes; may be longer (headroom for in-place updates).</summary>
    public byte[] Buffer { get; }

    /// <summary>Length of the JSON in <see cref="Buffer"/>.</summary>
    public int Length { get; }

    /// <summary>Members only: has a role or a nick, so a large guild's member list still includes it.</summary>
    public bool Notable { get; }

    /// <summary>The snapshot epoch <see cref="Buffer"/> was allocated in.</summary>
    public long Epoch { get; }

    /// <summary>The refill that last wrote this entry (see <see cref="EntityMap.BeginRefill"/>); fits in the struct's padding.</summary>
    public byte RefillMark { get; }

    /// <summary>The entity as Discord would put it in a GUILD_CREATE array.</summary>
    public ReadOnlySpan<byte> Json => new(Buffer, 0, Length);

    /// <summary>The JSON as memory, for readers outside the cache.</summary>
    public ReadOnlyMemory<byte> Memory => new(Buffer, 0, Length);
}
