namespace GatewayProxy.Cache;

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

    // The properties JSON is the first _propertiesLength bytes; the buffer may be written in place only in _propertiesEpoch
    // (Clone shares it with the copy, whose epoch is newer, so a buffer a snapshot may see is never written again).
    private byte[] _properties;
    private int _propertiesLength;
    private long _propertiesEpoch;

    private GuildState(ulong id, bool unavailable, byte[] properties, byte[]? joinedAt, int memberCount, EntityMap[] collections, long bytes, long epoch)
    {
        Id = id;
        Unavailable = unavailable;
        _properties = properties;
        _propertiesLength = properties.Length;
        _propertiesEpoch = unavailable ? -1 : epoch;
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
    public ReadOnlySpan<byte> Properties => new(_properties, 0, _propertiesLength);

    /// <summary><see cref="Properties"/> as memory, for readers outside the cache.</summary>
    public ReadOnlyMemory<byte> PropertiesMemory => new(_properties, 0, _propertiesLength);

    /// <summary>The raw <c>joined_at</c> value from GUILD_CREATE (GUILD_UPDATE does not carry it); never written in place.</summary>
    public byte[]? JoinedAt { get; private set; }

    /// <summary>Member count: from GUILD_CREATE, then ±1 per member add/remove.</summary>
    public int MemberCount { get; private set; }

    /// <summary>Approximate memory held by this guild (properties + entities + overheads).</summary>
    public long ApproximateBytes { get; private set; }

    /// <summary>
    /// Unavailable only: the content the guild had when it was lost, whose objects and buffers from <see cref="RecycleEpoch"/>
    /// no snapshot can ever see, so its next GUILD_CREATE may refill them instead of allocating. Writer-only state:
    /// snapshots never read it, so it may change on an instance a snapshot holds.
    /// </summary>
    public GuildState? Recycle { get; private set; }

    /// <summary>The epoch in which <see cref="Recycle"/> was hidden: only its objects and buffers of that epoch are reused.</summary>
    public long RecycleEpoch { get; private set; }

    /// <summary>
    /// Available only: the unavailable stand-in this guild shows while it is lost (created at its first outage, or the one of
    /// READY), reused for every outage so losing a guild allocates nothing. Writer-only state, like <see cref="Recycle"/>:
    /// what a snapshot reads of a stand-in (id, unavailable, empty) never changes.
    /// </summary>
    public GuildState? Shell { get; set; }

    /// <summary>A guild known only by id, waiting for its GUILD_CREATE.</summary>
    public static GuildState CreateUnavailable(ulong id, long epoch) =>
        new(id, unavailable: true, EmptyObject, null, 0, EmptyCollections, GuildOverhead, epoch);

    /// <summary>The stand-in shown while <paramref name="lost"/> (available) is out, keeping it for its GUILD_CREATE to refill.</summary>
    /// <remarks>Writer only. Reuses <paramref name="lost"/>'s <see cref="Shell"/>: only its writer-only fields change.</remarks>
    public static GuildState ShellFor(GuildState lost, long epoch)
    {
        GuildState shell = lost.Shell ??= CreateUnavailable(lost.Id, epoch);
        shell.Recycle = lost;
        shell.RecycleEpoch = epoch;
        return shell;
    }

    /// <summary>Forgets the lost content (its guild is back, or rebuilt), so the stand-in does not keep a stale guild alive.</summary>
    public void ClearRecycle() => Recycle = null;

    /// <summary>A fully created guild owning <paramref name="collections"/>.</summary>
    public static GuildState Create(ulong id, byte[] properties, byte[]? joinedAt, int memberCount, EntityMap[] collections, long epoch)
    {
        return new GuildState(id, unavailable: false, properties, joinedAt, memberCount, collections, Measure(properties.Length, joinedAt, collections), epoch);
    }

    /// <summary>The collection of one kind.</summary>
    public EntityMap Get(CacheEntityKind kind) => _collections[(int)kind];

    /// <summary>A writable copy for <paramref name="epoch"/>, sharing properties and collections.</summary>
    public GuildState Clone(long epoch) =>
        new(Id, Unavailable, _properties, JoinedAt, MemberCount, (EntityMap[])_collections.Clone(), ApproximateBytes, epoch)
        {
            _propertiesLength = _propertiesLength,
            _propertiesEpoch = _propertiesEpoch,
            Shell = Shell,
        };

    /// <summary>Replaces the guild properties (GUILD_UPDATE): in place when this epoch owns the buffer and it fits; writer only, current epoch.</summary>
    public void SetProperties(ReadOnlySpan<byte> properties)
    {
        ApproximateBytes += properties.Length - _propertiesLength;
        if (_propertiesEpoch != Epoch || properties.Length > _properties.Length)
        {
            // Headroom: a guild that is updated once usually is again (a name, a description, a boost count).
            _properties = new byte[properties.Length + (properties.Length >> 3) + 16];
            _propertiesEpoch = Epoch;
        }

        properties.CopyTo(_properties);
        _propertiesLength = properties.Length;
    }

    /// <summary>
    /// Makes this lost guild (no snapshot can see it: of <see cref="ShardCache"/>'s recycle epoch) hold a new GUILD_CREATE's
    /// guild-level fields; its collections were refilled in place by the caller. Writer only.
    /// </summary>
    public void Refill(ReadOnlySpan<byte> properties, byte[]? joinedAt, int memberCount)
    {
        if (_propertiesEpoch != Epoch || properties.Length > _properties.Length)
        {
            _properties = properties.ToArray();
            _propertiesEpoch = Epoch;
        }
        else
        {
            properties.CopyTo(_properties);
        }

        _propertiesLength = properties.Length;
        JoinedAt = joinedAt;
        MemberCount = memberCount;
        ApproximateBytes = Measure(properties.Length, joinedAt, _collections);
    }

    /// <summary>The collections array itself, for a refill in place (see <see cref="Refill"/>); writer only.</summary>
    public EntityMap[] CollectionsForRefill => _collections;

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

    /// <summary>True when a collection has an uncompressed chunk last changed at or before <paramref name="coldBefore"/>.</summary>
    public bool HasCold(long coldBefore)
    {
        foreach (EntityMap map in _collections)
        {
            if (map.HasCold(coldBefore))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Compresses the cold chunks of every collection (collections a snapshot may see are cloned first); writer only, current epoch.</summary>
    public void FreezeCold(long coldBefore)
    {
        for (int i = 0; i < _collections.Length; i++)
        {
            if (_collections[i].HasCold(coldBefore))
            {
                Writable((CacheEntityKind)i).FreezeCold(coldBefore);
            }
        }

        ApproximateBytes = Measure(_propertiesLength, JoinedAt, _collections);
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

    private static long Measure(int propertiesLength, byte[]? joinedAt, EntityMap[] collections)
    {
        long bytes = GuildOverhead + propertiesLength + (joinedAt?.Length ?? 0);
        for (int i = 0; i < collections.Length; i++)
        {
            bytes += collections[i].ApproximateBytes;
        }

        return bytes;
    }

    /// <summary>A fresh array of empty collections, for building a guild.</summary>
    public static EntityMap[] CreateEmptyCollections()
    {
        var collections = new EntityMap[KindCount];
        Array.Fill(collections, EntityMap.Empty);
        return collections;
    }
}
