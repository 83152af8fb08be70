using System.Text.Json.Nodes;
using GatewayProxy.Simulator.Data;

namespace GatewayProxy.Simulator;

/// <summary>
/// The generated bot: its user, application and guilds per shard, each as the full GUILD_CREATE object
/// (every member and presence), kept consistent with every event the simulator emits (generated again on every read
/// until an event changes a guild: see <see cref="GuildData"/>). Readers get copies.
/// </summary>
public sealed class SimulatorState
{
    private readonly JsonObject _botUser;
    private readonly JsonObject _application;
    private readonly ShardData[] _shards;

    internal SimulatorState(int shardCount, JsonObject botUser, JsonObject application, List<GuildData>[] guilds, SnowflakeFactory ids, int seed)
    {
        ShardCount = shardCount;
        _botUser = botUser;
        _application = application;
        BotUserId = Json.Str(botUser, "id")!;
        _shards = new ShardData[shardCount];
        for (var s = 0; s < shardCount; s++)
        {
            _shards[s] = new ShardData(s, guilds[s], ids.NowUnixMs + 86_400_000, seed);
        }
    }

    /// <summary>Number of shards the guilds are spread over.</summary>
    public int ShardCount { get; }

    /// <summary>The bot's user id.</summary>
    public string BotUserId { get; }

    /// <summary>A copy of the bot's user object (as READY sends it).</summary>
    public JsonObject BotUser => Json.Clone(_botUser);

    /// <summary>A copy of the application object <c>{id, flags}</c>.</summary>
    public JsonObject Application => Json.Clone(_application);

    /// <summary>Total number of guilds.</summary>
    public int GuildCount
    {
        get
        {
            var n = 0;
            foreach (var shard in _shards)
            {
                lock (shard.Gate)
                {
                    n += shard.Guilds.Count;
                }
            }

            return n;
        }
    }

    /// <summary>Guilds and members (member_count summed) per part of the size mix (<see cref="SimulatorOptions.GuildSizeMix"/>).</summary>
    public IReadOnlyDictionary<GuildSize, (int Guilds, long Members)> GuildSizes()
    {
        var sizes = new SortedDictionary<GuildSize, (int Guilds, long Members)>();
        foreach (var shard in _shards)
        {
            lock (shard.Gate)
            {
                foreach (var guild in shard.Guilds)
                {
                    var (guilds, members) = sizes.GetValueOrDefault(guild.Size);
                    sizes[guild.Size] = (guilds + 1, members + guild.MemberCount);
                }
            }
        }

        return sizes;
    }

    /// <summary>The shard of a guild id: <c>(id &gt;&gt; 22) % shards</c>.</summary>
    public int ShardOf(ulong guildId) => SnowflakeFactory.ShardOf(guildId, ShardCount);

    /// <summary>The ids of a shard's guilds, in READY order.</summary>
    public IReadOnlyList<string> GetGuildIds(int shard)
    {
        var data = Shard(shard);
        lock (data.Gate)
        {
            var ids = new string[data.Guilds.Count];
            for (var i = 0; i < ids.Length; i++)
            {
                ids[i] = data.Guilds[i].IdString;
            }

            return ids;
        }
    }

    /// <summary>Copies of a shard's full guild objects, in READY order.</summary>
    public IReadOnlyList<JsonObject> GetGuilds(int shard)
    {
        var data = Shard(shard);
        lock (data.Gate)
        {
            var list = new JsonObject[data.Guilds.Count];
            for (var i = 0; i < list.Length; i++)
            {
                list[i] = data.Guilds[i].Copy();
            }

            return list;
        }
    }

    /// <summary>UTF-8 bytes of a shard's full guild objects as GUILD_CREATE sends them with every intent (summed, without copying them).</summary>
    public long GetGuildJsonBytes(int shard)
    {
        var data = Shard(shard);
        lock (data.Gate)
        {
            long bytes = 0;
            foreach (var guild in data.Guilds)
            {
                bytes += guild.JsonByteCount;
            }

            return bytes;
        }
    }

    /// <summary>A copy of one guild's full object, or null when no shard has it.</summary>
    public JsonObject? GetGuild(string guildId)
    {
        if (!ulong.TryParse(guildId, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var id))
        {
            return null;
        }

        var data = Shard(ShardOf(id));
        lock (data.Gate)
        {
            return data.ById.TryGetValue(guildId, out var guild) ? guild.Copy() : null;
        }
    }

    internal ShardData Shard(int shard)
    {
        if ((uint)shard >= (uint)_shards.Length)
        {
            throw new ArgumentOutOfRangeException(nameof(shard), shard, $"shard must be 0..{_shards.Length - 1}");
        }

        return _shards[shard];
    }

    internal JsonObject RawBotUser => _botUser;

    internal JsonObject RawApplication => _application;
}
