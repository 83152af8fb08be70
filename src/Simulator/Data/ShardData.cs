namespace GatewayProxy.Simulator.Data;

/// <summary>The guilds of one shard, the lock that guards them, and the shard's own id and random sources.</summary>
internal sealed class ShardData
{
    /// <summary>Creates a shard's data; its live events are drawn from <paramref name="seed"/> (the Simulator's seed) and the shard; ids minted here never collide with other shards' (worker/process bits differ).</summary>
    public ShardData(int shard, List<GuildData> guilds, long clockUnixMs, int seed)
    {
        Shard = shard;
        Guilds = guilds;
        foreach (var guild in guilds)
        {
            ById[guild.IdString] = guild;
            guild.Owner = Hot;
        }

        Ids = new SnowflakeFactory(clockUnixMs, 2 + (shard % 30), (shard / 30) & 31);
        // Seed 1 (the default) keeps the per-shard streams of earlier versions (which seeded with the shard alone).
        Random = new Random(unchecked(((seed - 1) * 7919) + (shard * 7920)));
    }

    /// <summary>The shard id.</summary>
    public int Shard { get; }

    /// <summary>Guards every read and write of this shard's guilds.</summary>
    public Lock Gate { get; } = new();

    /// <summary>Guilds in generation order (READY order).</summary>
    public List<GuildData> Guilds { get; }

    /// <summary>The guilds held as trees (see <see cref="SimulatorOptions.HotGuildsPerShard"/>).</summary>
    public HotGuilds Hot { get; } = new();

    /// <summary>Guilds by id string.</summary>
    public Dictionary<string, GuildData> ById { get; } = new(StringComparer.Ordinal);

    /// <summary>Mints ids for live events on this shard.</summary>
    public SnowflakeFactory Ids { get; }

    /// <summary>Drives the shard's live event choices.</summary>
    public Random Random { get; }

    /// <summary>Live events generated so far (bounded by <see cref="SimulatorOptions.EventCount"/>).</summary>
    public long Generated { get; set; }
}
