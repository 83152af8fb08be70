namespace GatewayProxy.Ingress.Cache;

/// <summary>One guild as the cache holds it; mutable by the writer only while its <see cref="Epoch"/> is current.</summary>
/// <remarks>
/// Copy-on-write by snapshot epoch: once a snapshot may reference this instance (its epoch is past), the writer works on
/// a <see cref="Clone"/> that shares the collections; each collection is cloned in turn when first changed.
/// </remarks>
internal sealed class GuildState
{
    /// <summary>Bytes charged per guild on top of its properties: this object and its collection array.</summary>
    public const int GuildOverhead = 96 + 24 + (8 * KindCount);

    /// <summary>Bytes charged per guild in the guild map (dictionary entry and bucket).</summary>
    public const int MapEntryOverhead = 32;

    /// <summary>How many collections a guild has (<see cref="CacheEntityKind"/> values).</summary>
    public const int KindCount = 11;

    private static readonly byte[] EmptyObject = "{}"u8.ToArray();

    // Shared by every unavailable guild: never written, since only available guilds are updated (and clones copy it).
    private static readonly EntityMap[] EmptyCollections = CreateEmptyCollections();

    private readonly EntityMap[] _collections;

    private GuildState(ulong id, bool unavailable, byte[] properties, byte[]? joinedAt, int memberCount, EntityMap[] collections, long bytes, long epoch)
    {
        Id = id;
        Unavailable = unavailable;
        Properties = properties;
        JoinedAt = joinedAt;
        MemberCount = memberCount;
        _collections = collections;
        ApproximateBytes = bytes;
        Epoch = epoch;
    }

    /// <summary>The guild id.</summary>
    public ulong Id { get; }

    /// <summary>The snapshot epoch this instance was created in; the writer changes it only in that epoch.</summary>
    public long Epoch { get; }

    /// <summary>Announced (READY) or lost (GUILD_DELETE unavailable) but not (re)created yet: nothing else is known.</summary>
    public bool Unavailable { get; }

    /// <summary>The guild's own properties as one compact JSON object (no collections, no per-connection fields); <c>{}</c> when unavailable.</summary>
    public byte[] Properties { get; private set; }

    /// <summary>The raw <c>joined_at</c> value from GUILD_CREATE (GUILD_UPDATE does not carry it).</summary>
    public byte[]? JoinedAt { get; }

    /// <summary>Member count: from GUILD_CREATE, then ±1 per member add/remove.</summary>
    public int MemberCount { get; private set; }

    /// <summary>Approximate memory held by this guild (properties + entities + overheads).</summary>
    public long ApproximateBytes { get; private set; }

    /// <summary>
    /// Unavailable only: the content the guild had when it was lost, whose entity buffers from <see cref="RecycleEpoch"/>
    /// no snapshot can ever see, so its next GUILD_CREATE may write into them instead of allocating.
    /// </summary>
    public GuildState? Recycle { get; private init; }

    /// <summary>The epoch in which <see cref="Recycle"/> was hidden: only its buffers of that epoch are reused.</summary>
    public long RecycleEpoch { get; private init; }

    /// <summary>A guild known only by id, waiting for its GUILD_CREATE.</summary>
    public static GuildState CreateUnavailable(ulong id, long epoch) =>
        new(id, unavailable: true, EmptyObject, null, 0, EmptyCollections, GuildOverhead, epoch);

    /// <summary>A guild lost in an outage (GUILD_DELETE unavailable), keeping what it held for its GUILD_CREATE to reuse.</summary>
    public static GuildState CreateLost(GuildState lost, long epoch) =>
        new(lost.Id, unavailable: true, EmptyObject, null, 0, EmptyCollections, GuildOverhead, epoch)
        {
            Recycle = lost.Unavailable ? lost.Recycle : lost,
            RecycleEpoch = lost.Unavailable ? lost.RecycleEpoch : epoch,
        };

    /// <summary>A fully created guild owning <paramref name="collections"/>.</summary>
    public static GuildState Create(ulong id, byte[] properties, byte[]? joinedAt, int memberCount, EntityMap[] collections, long epoch)
    {
        long bytes = GuildOverhead + properties.Length + (joinedAt?.Length ?? 0);
        for (int i = 0; i < collections.Length; i++)
        {
            bytes += collections[i].ApproximateBytes;
        }

        return new GuildState(id, unavailable: false, properties, joinedAt, memberCount, collections, bytes, epoch);
    }

    /// <summary>The collection of one kind.</summary>
    public EntityMap Get(CacheEntityKind kind) => _collections[(int)kind];

    /// <summary>A writable copy for <paramref name="epoch"/>, sharing properties and collections.</summary>
    public GuildState Clone(long epoch) =>
        new(Id, Unavailable, Properties, JoinedAt, MemberCount, (EntityMap[])_collections.Clone(), ApproximateBytes, epoch);

    /// <summary>Replaces the guild properties (GUILD_UPDATE); writer only, current epoch.</summary>
    public void SetProperties(byte[] properties)
    {
        ApproximateBytes += properties.Length - Properties.Length;
        Properties = properties;
    }

    /// <summary>Moves the member count by <paramref name="delta"/> (never below zero); writer only, current epoch.</summary>
    public void AddMemberCount(int delta) => MemberCount = Math.Max(0, MemberCount + delta);

    /// <summary>Adds or replaces one entity; writer only, current epoch.</summary>
    public void SetEntity(CacheEntityKind kind, ulong id, ReadOnlySpan<byte> json, bool notable) =>
        ApproximateBytes += Writable(kind).Set(id, json, notable);

    /// <summary>Removes one entity when present; writer only, current epoch.</summary>
    public void RemoveEntity(CacheEntityKind kind, ulong id)
    {
        if (_collections[(int)kind].ContainsKey(id))
        {
            ApproximateBytes += Writable(kind).Delete(id);
        }
    }

    /// <summary>Replaces a whole collection with <paramref name="map"/> (built in the current epoch); writer only.</summary>
    public void SetCollection(CacheEntityKind kind, EntityMap map)
    {
        ApproximateBytes += map.ApproximateBytes - _collections[(int)kind].ApproximateBytes;
        _collections[(int)kind] = map;
    }

    /// <summary>The collection of <paramref name="kind"/>, cloned first when a snapshot may see it.</summary>
    private EntityMap Writable(CacheEntityKind kind)
    {
        EntityMap map = _collections[(int)kind];
        if (map.Epoch != Epoch)
        {
            map = map.Clone(Epoch);
            _collections[(int)kind] = map;
        }

        return map;
    }

    /// <summary>A fresh array of empty collections, for building a guild.</summary>
    public static EntityMap[] CreateEmptyCollections()
    {
        var collections = new EntityMap[KindCount];
        Array.Fill(collections, EntityMap.Empty);
        return collections;
    }
}
