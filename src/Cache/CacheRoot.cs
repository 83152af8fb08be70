namespace GatewayProxy.Cache;

/// <summary>Everything a shard's cache holds; mutable by the writer only while its <see cref="Epoch"/> is current.</summary>
/// <remarks>A snapshot keeps the root of its time: the writer then clones the root (and the guild map) before changing it.</remarks>
internal sealed class CacheRoot
{
    /// <summary>Creates a root owning <paramref name="guilds"/>.</summary>
    public CacheRoot(Dictionary<ulong, GuildState> guilds, byte[] botUserJson, byte[] applicationJson, ulong botUserId, long epoch)
    {
        Guilds = guilds;
        BotUserJson = botUserJson;
        ApplicationJson = applicationJson;
        BotUserId = botUserId;
        Epoch = epoch;
    }

    /// <summary>Every guild of READY plus those created since, keyed by id.</summary>
    public Dictionary<ulong, GuildState> Guilds { get; }

    /// <summary>The bot's user object (READY, then USER_UPDATE).</summary>
    public byte[] BotUserJson { get; set; }

    /// <summary>The application object from READY.</summary>
    public byte[] ApplicationJson { get; set; }

    /// <summary>The bot's user id.</summary>
    public ulong BotUserId { get; set; }

    /// <summary>The snapshot epoch this root was created in; the writer changes it only in that epoch.</summary>
    public long Epoch { get; }

    /// <summary>A writable copy for <paramref name="epoch"/>: a new guild map sharing the guilds.</summary>
    public CacheRoot Clone(long epoch) => new(new Dictionary<ulong, GuildState>(Guilds), BotUserJson, ApplicationJson, BotUserId, epoch);
}
