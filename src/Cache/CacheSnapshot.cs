namespace GatewayProxy.Cache;

/// <summary>
/// An immutable view of a shard's cache as of ring <see cref="Position"/>: a client sent READY and GUILD_CREATEs from it
/// relays live events from <see cref="Position"/> + 1. Safe to read from any thread while the cache keeps updating.
/// </summary>
/// <remarks>It holds the cache's root of an ended epoch: the writer never changes those objects again (it clones them).</remarks>
public sealed partial class CacheSnapshot : IShardSnapshot
{
    private readonly CacheRoot _root;

    internal CacheSnapshot(CacheRoot root, long position)
    {
        _root = root;
        Position = position;
    }

    /// <summary>The ring position of the last event this view includes (-1: none).</summary>
    public long Position { get; }

    /// <summary>Guilds of the shard, unavailable ones included.</summary>
    public int GuildCount => _root.Guilds.Count;

    /// <summary>Every guild id of the shard (READY's and those created since), unavailable ones included, ascending.</summary>
    public IEnumerable<ulong> GuildIds => SortedKeys(_root.Guilds.Keys);

    /// <summary>The bot's user object from upstream READY (then USER_UPDATE); empty before READY.</summary>
    public ReadOnlySpan<byte> BotUserJson => _root.BotUserJson;

    /// <summary>The application object from upstream READY (<c>{id, flags}</c>); empty before READY.</summary>
    public ReadOnlySpan<byte> ApplicationJson => _root.ApplicationJson;

    /// <summary>The bot's user id (0 before READY).</summary>
    public ulong BotUserId => _root.BotUserId;

    /// <summary>True when the shard knows the guild, available or not.</summary>
    public bool ContainsGuild(ulong guildId) => _root.Guilds.ContainsKey(guildId);

    /// <summary>True when the guild is known but unavailable (a client gets <c>GUILD_DELETE {id, unavailable:true}</c>).</summary>
    public bool IsUnavailable(ulong guildId) => _root.Guilds.TryGetValue(guildId, out GuildState? guild) && guild.Unavailable;

    /// <summary>The member count of an available guild (0 when unknown or unavailable).</summary>
    public int GetMemberCount(ulong guildId) => TryGetGuild(guildId, out GuildState guild) ? guild.MemberCount : 0;

    /// <summary>How many entities of <paramref name="kind"/> an available guild has cached.</summary>
    public int GetCount(ulong guildId, CacheEntityKind kind) => TryGetGuild(guildId, out GuildState guild) ? guild.Get(kind).Count : 0;

    /// <summary>The cached JSON of one entity (members keyed by user id, soundboard sounds by sound id).</summary>
    public bool TryGetEntity(ulong guildId, CacheEntityKind kind, ulong id, out ReadOnlyMemory<byte> json)
    {
        if (TryGetGuild(guildId, out GuildState guild) && guild.Get(kind).TryGetValue(id, out CachedEntity entity))
        {
            json = entity.Memory;
            return true;
        }

        json = default;
        return false;
    }

    /// <summary>The ids of one kind cached for an available guild, ascending.</summary>
    public IEnumerable<ulong> GetIds(ulong guildId, CacheEntityKind kind) =>
        TryGetGuild(guildId, out GuildState guild) ? SortedKeys(guild.Get(kind)) : [];

    /// <summary>The guild's own properties as one JSON object (no collections, no per-connection fields).</summary>
    public bool TryGetGuildProperties(ulong guildId, out ReadOnlyMemory<byte> json)
    {
        if (TryGetGuild(guildId, out GuildState guild))
        {
            json = guild.PropertiesMemory;
            return true;
        }

        json = default;
        return false;
    }

    /// <summary>Approximate memory held by one guild's cache entry.</summary>
    public long GetApproximateBytes(ulong guildId) => _root.Guilds.TryGetValue(guildId, out GuildState? guild) ? guild.ApproximateBytes : 0;

    /// <summary>Counts and bytes of <paramref name="root"/>; the caller keeps the writer out (the cache's lock) or owns a frozen root.</summary>
    internal static CacheStats GetStats(CacheRoot root, long malformed, bool fullUsers)
    {
        long[] counts = new long[GuildState.KindCount];
        int unavailable = 0;
        long bytes = root.BotUserJson.Length + root.ApplicationJson.Length;
        foreach (KeyValuePair<ulong, GuildState> pair in root.Guilds)
        {
            GuildState guild = pair.Value;
            bytes += GuildState.MapEntryOverhead + guild.ApproximateBytes;
            if (guild.Unavailable)
            {
                unavailable++;
                continue;
            }

            for (int i = 0; i < counts.Length; i++)
            {
                counts[i] += guild.Get((CacheEntityKind)i).Count;
            }
        }

        long users = fullUsers ? counts[(int)CacheEntityKind.Members] : 0;
        return new CacheStats(root.Guilds.Count, unavailable, counts, users, bytes, malformed);
    }

    /// <summary>Keys in ascending order (the maps keep insertion order; callers of the id lists expect them sorted).</summary>
    private static ulong[] SortedKeys(Dictionary<ulong, GuildState>.KeyCollection keys)
    {
        var sorted = new ulong[keys.Count];
        keys.CopyTo(sorted, 0);
        Array.Sort(sorted);
        return sorted;
    }

    private static ulong[] SortedKeys(EntityMap map)
    {
        var sorted = new ulong[map.Count];
        map.CopyKeysTo(sorted);
        Array.Sort(sorted);
        return sorted;
    }

    private bool TryGetGuild(ulong guildId, out GuildState guild)
    {
        if (_root.Guilds.TryGetValue(guildId, out GuildState? found) && !found.Unavailable)
        {
            guild = found;
            return true;
        }

        guild = null!;
        return false;
    }
}
