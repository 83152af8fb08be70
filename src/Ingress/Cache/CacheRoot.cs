using System.Collections.Immutable;

namespace GatewayProxy.Ingress.Cache;

/// <summary>Everything a shard's cache holds at one moment; immutable, published by the updater with one reference swap.</summary>
internal sealed class CacheRoot
{
    /// <summary>A cache that knows nothing yet.</summary>
    public static readonly CacheRoot Empty = new(ImmutableSortedDictionary<ulong, GuildState>.Empty, [], [], 0, -1);

    /// <summary>Creates a root.</summary>
    public CacheRoot(ImmutableSortedDictionary<ulong, GuildState> guilds, byte[] botUserJson, byte[] applicationJson, ulong botUserId, long position)
    {
        Guilds = guilds;
        BotUserJson = botUserJson;
        ApplicationJson = applicationJson;
        BotUserId = botUserId;
        Position = position;
    }

    /// <summary>Every guild of READY plus those created since, keyed by id.</summary>
    public ImmutableSortedDictionary<ulong, GuildState> Guilds { get; }

    /// <summary>The bot's user object (READY, then USER_UPDATE).</summary>
    public byte[] BotUserJson { get; }

    /// <summary>The application object from READY.</summary>
    public byte[] ApplicationJson { get; }

    /// <summary>The bot's user id.</summary>
    public ulong BotUserId { get; }

    /// <summary>The ring position of the last event that changed this root.</summary>
    public long Position { get; }

    /// <summary>A copy with other guilds, as of <paramref name="position"/>.</summary>
    public CacheRoot WithGuilds(ImmutableSortedDictionary<ulong, GuildState> guilds, long position) =>
        new(guilds, BotUserJson, ApplicationJson, BotUserId, position);
}
