using System.Collections.Immutable;

namespace GatewayProxy.Ingress.Cache;

/// <summary>One guild as the cache holds it: immutable; every update makes a new instance sharing what did not change.</summary>
internal sealed class GuildState
{
    /// <summary>Bytes charged per entity on top of its JSON: array header plus the immutable tree node.</summary>
    public const int EntryOverhead = 24 + 64;

    /// <summary>Bytes charged per guild on top of its properties: this object and its collection array.</summary>
    public const int GuildOverhead = 96 + 24 + (8 * KindCount);

    /// <summary>How many collections a guild has (<see cref="CacheEntityKind"/> values).</summary>
    public const int KindCount = 11;

    /// <summary>An empty collection.</summary>
    public static readonly ImmutableSortedDictionary<ulong, CachedEntity> EmptyMap = ImmutableSortedDictionary<ulong, CachedEntity>.Empty;

    private static readonly byte[] EmptyObject = "{}"u8.ToArray();

    private static readonly ImmutableSortedDictionary<ulong, CachedEntity>[] EmptyCollections = CreateEmptyCollections();

    private readonly ImmutableSortedDictionary<ulong, CachedEntity>[] _collections;

    private GuildState(ulong id, bool unavailable, byte[] properties, byte[]? joinedAt, int memberCount, ImmutableSortedDictionary<ulong, CachedEntity>[] collections, long bytes)
    {
        Id = id;
        Unavailable = unavailable;
        Properties = properties;
        JoinedAt = joinedAt;
        MemberCount = memberCount;
        _collections = collections;
        ApproximateBytes = bytes;
    }

    /// <summary>The guild id.</summary>
    public ulong Id { get; }

    /// <summary>Announced (READY) or lost (GUILD_DELETE unavailable) but not (re)created yet: nothing else is known.</summary>
    public bool Unavailable { get; }

    /// <summary>The guild's own properties as one compact JSON object (no collections, no per-connection fields); <c>{}</c> when unavailable.</summary>
    public byte[] Properties { get; }

    /// <summary>The raw <c>joined_at</c> value from GUILD_CREATE (GUILD_UPDATE does not carry it).</summary>
    public byte[]? JoinedAt { get; }

    /// <summary>Member count: from GUILD_CREATE, then ±1 per member add/remove.</summary>
    public int MemberCount { get; }

    /// <summary>Approximate memory held by this guild (properties + entities + overheads).</summary>
    public long ApproximateBytes { get; }

    /// <summary>A guild known only by id, waiting for its GUILD_CREATE.</summary>
    public static GuildState CreateUnavailable(ulong id) => new(id, unavailable: true, EmptyObject, null, 0, EmptyCollections, GuildOverhead);

    /// <summary>A fully created guild.</summary>
    public static GuildState Create(ulong id, byte[] properties, byte[]? joinedAt, int memberCount, ImmutableSortedDictionary<ulong, CachedEntity>[] collections)
    {
        long bytes = GuildOverhead + properties.Length + (joinedAt?.Length ?? 0);
        for (int i = 0; i < collections.Length; i++)
        {
            foreach (KeyValuePair<ulong, CachedEntity> pair in collections[i])
            {
                bytes += EntryOverhead + pair.Value.Json.Length;
            }
        }

        return new GuildState(id, unavailable: false, properties, joinedAt, memberCount, collections, bytes);
    }

    /// <summary>The collection of one kind.</summary>
    public ImmutableSortedDictionary<ulong, CachedEntity> Get(CacheEntityKind kind) => _collections[(int)kind];

    /// <summary>A copy with new guild properties (GUILD_UPDATE); collections are shared.</summary>
    public GuildState WithProperties(byte[] properties) =>
        new(Id, Unavailable, properties, JoinedAt, MemberCount, _collections, ApproximateBytes - Properties.Length + properties.Length);

    /// <summary>A copy with the member count moved by <paramref name="delta"/> (never below zero).</summary>
    public GuildState WithMemberCountDelta(int delta) =>
        new(Id, Unavailable, Properties, JoinedAt, Math.Max(0, MemberCount + delta), _collections, ApproximateBytes);

    /// <summary>A copy with one entity added or replaced.</summary>
    public GuildState WithEntity(CacheEntityKind kind, ulong id, CachedEntity entity)
    {
        ImmutableSortedDictionary<ulong, CachedEntity> map = _collections[(int)kind];
        long delta = EntryOverhead + entity.Json.Length;
        if (map.TryGetValue(id, out CachedEntity old))
        {
            delta -= EntryOverhead + old.Json.Length;
        }

        return WithCollection(kind, map.SetItem(id, entity), delta);
    }

    /// <summary>A copy without one entity; the same instance when it was not there.</summary>
    public GuildState WithoutEntity(CacheEntityKind kind, ulong id)
    {
        ImmutableSortedDictionary<ulong, CachedEntity> map = _collections[(int)kind];
        if (!map.TryGetValue(id, out CachedEntity old))
        {
            return this;
        }

        return WithCollection(kind, map.Remove(id), -(EntryOverhead + old.Json.Length));
    }

    /// <summary>A copy with a whole collection replaced.</summary>
    public GuildState WithCollection(CacheEntityKind kind, ImmutableSortedDictionary<ulong, CachedEntity> map)
    {
        long delta = 0;
        foreach (KeyValuePair<ulong, CachedEntity> pair in _collections[(int)kind])
        {
            delta -= EntryOverhead + pair.Value.Json.Length;
        }

        foreach (KeyValuePair<ulong, CachedEntity> pair in map)
        {
            delta += EntryOverhead + pair.Value.Json.Length;
        }

        return WithCollection(kind, map, delta);
    }

    private GuildState WithCollection(CacheEntityKind kind, ImmutableSortedDictionary<ulong, CachedEntity> map, long bytesDelta)
    {
        var collections = (ImmutableSortedDictionary<ulong, CachedEntity>[])_collections.Clone();
        collections[(int)kind] = map;
        return new GuildState(Id, Unavailable, Properties, JoinedAt, MemberCount, collections, ApproximateBytes + bytesDelta);
    }

    /// <summary>A fresh array of empty collections, for building a guild.</summary>
    public static ImmutableSortedDictionary<ulong, CachedEntity>[] CreateEmptyCollections()
    {
        var collections = new ImmutableSortedDictionary<ulong, CachedEntity>[KindCount];
        Array.Fill(collections, EmptyMap);
        return collections;
    }
}
