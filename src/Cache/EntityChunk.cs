namespace GatewayProxy.Cache;

/// <summary>One chunk of an <see cref="EntityMap"/>: a small id → entity dictionary, the unit the writer copies after a snapshot.</summary>
internal sealed class EntityChunk : Dictionary<ulong, CachedEntity>
{
    /// <summary>Creates an empty chunk writable in <paramref name="epoch"/>.</summary>
    public EntityChunk(long epoch, int capacity)
        : base(capacity)
    {
        Epoch = epoch;
    }

    private EntityChunk(EntityChunk source, long epoch)
        : base(source)
    {
        Epoch = epoch;
    }

    /// <summary>The snapshot epoch this chunk was created in; the writer changes it only in that epoch.</summary>
    public long Epoch { get; }

    /// <summary>A writable copy for <paramref name="epoch"/>, sharing the entity buffers.</summary>
    public EntityChunk Clone(long epoch) => new(this, epoch);
}
