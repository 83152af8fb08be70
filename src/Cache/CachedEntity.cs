namespace GatewayProxy.Cache;

/// <summary>A view of one cached entity: its compact JSON inside its chunk's data array, plus a flag precomputed at store time.</summary>
/// <remarks>Valid as long as the map it was read from is not written: a snapshot's maps never are (see <see cref="EntityChunk"/>).</remarks>
internal readonly struct CachedEntity
{
    private readonly byte[] _buffer;
    private readonly int _offset;

    /// <summary>Creates a view of <paramref name="length"/> bytes at <paramref name="offset"/> in <paramref name="buffer"/>.</summary>
    public CachedEntity(byte[] buffer, int offset, int length, bool notable)
    {
        _buffer = buffer;
        _offset = offset;
        Length = length;
        Notable = notable;
    }

    /// <summary>Length of the JSON.</summary>
    public int Length { get; }

    /// <summary>Members only: has a role or a nick, so a large guild's member list still includes it.</summary>
    public bool Notable { get; }

    /// <summary>The entity as Discord would put it in a GUILD_CREATE array.</summary>
    public ReadOnlySpan<byte> Json => new(_buffer, _offset, Length);

    /// <summary>The JSON as memory, for readers outside the cache.</summary>
    public ReadOnlyMemory<byte> Memory => new(_buffer, _offset, Length);
}
