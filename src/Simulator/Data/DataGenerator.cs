using System.Text.Json.Nodes;

namespace GatewayProxy.Simulator.Data;

/// <summary>
/// Generates the bot and its guilds from a seed: the same options always give the same ids and contents. No guild's JSON
/// is kept: each guild gets a <see cref="GuildRecipe"/> and is generated again whenever it is sent.
/// </summary>
/// <remarks>
/// Without <see cref="SimulatorOptions.GuildSizeMix"/> the world is one random sequence, as it always was (so the
/// bytes for a seed never change): generating it once finds where each guild's draws start. With the mix, each guild
/// has its own sequence and place on the id timeline, derived from (seed, guild index), so nothing is generated up front.
/// </remarks>
internal sealed class DataGenerator
{
    /// <summary>Generated data starts at 2024-01-01T00:00:00Z so ids do not depend on the clock.</summary>
    public const long BaseUnixMs = 1_704_067_200_000;

    /// <summary>With the mix, guild i's ids start i hours after the first guild's.</summary>
    private const long MixedGuildSpacingMs = 3_600_000;

    private readonly SimulatorOptions _options;
    private readonly SeededRandom _rng;
    private readonly SnowflakeFactory _ids = new(BaseUnixMs);

    /// <summary>Prepares a generator for these options.</summary>
    public DataGenerator(SimulatorOptions options)
    {
        _options = options;
        _rng = new SeededRandom(options.Seed);
    }

    /// <summary>Generates the bot user, its application and every guild's recipe, grouped by shard.</summary>
    public SimulatorState Generate()
    {
        var botId = _ids.Next();
        var bot = EntityFactory.User(botId, "SimBot", bot: true);
        bot["verified"] = true;
        bot["mfa_enabled"] = false;
        bot["flags"] = 0;
        bot["email"] = null;

        // Applications made since 2020 share their id with their bot user.
        var application = new JsonObject { ["id"] = Json.Id(botId), ["flags"] = 565248 };

        var poolSize = Math.Min(Math.Max(_options.MembersPerGuild * 3, 16), 200_000);
        if (_options.GuildSizeMix)
        {
            poolSize = Math.Max(poolSize, GuildShape.MaxMixedMembers * 3);
        }

        _ids.Advance(86_400_000);
        var users = new (ulong Id, string Name)[poolSize];
        for (var i = 0; i < poolSize; i++)
        {
            users[i] = (_ids.Next(), Names.User(_rng));
        }

        var world = new WorldTemplate(_options, botId, users);
        var shards = new List<GuildData>[_options.ShardCount];
        for (var s = 0; s < shards.Length; s++)
        {
            shards[s] = [];
        }

        if (_options.GuildSizeMix)
        {
            AddMixedGuilds(world, shards);
        }
        else
        {
            AddSequentialGuilds(world, shards);
        }

        return new SimulatorState(_options.ShardCount, bot, application, shards, _ids, _options.Seed);
    }

    /// <summary>The seed of guild <paramref name="index"/>'s own sequences (0: its shape, 1: its content) in a mixed world.</summary>
    internal static int GuildSeed(int seed, int index, int stream)
    {
        // SplitMix64's finalizer: neighbouring (seed, index) pairs get unrelated seeds.
        var x = ((ulong)(uint)seed << 32) ^ (uint)index ^ ((ulong)stream << 62);
        x += 0x9E3779B97F4A7C15;
        x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9;
        x = (x ^ (x >> 27)) * 0x94D049BB133111EB;
        x ^= x >> 31;
        return (int)(x ^ (x >> 32));
    }

    private void AddSequentialGuilds(WorldTemplate world, List<GuildData>[] shards)
    {
        var shape = GuildShape.FromOptions(_options);
        for (var g = 0; g < _options.GuildCount; g++)
        {
            _ids.Advance(3_600_000 + _rng.Next(3_600_000));
            var shard = g % _options.ShardCount;
            var guildId = _ids.NextOnShard(shard, _options.ShardCount);
            var recipe = new GuildRecipe(world, _rng.Capture(), _ids.Capture(), guildId, shape);

            // Generated once, and dropped, only to move the sequence and the id factory past this guild.
            _ = new GuildGenerator(world, _rng, _ids, shape).Make(guildId);
            shards[shard].Add(new GuildData(recipe));
        }
    }

    private void AddMixedGuilds(WorldTemplate world, List<GuildData>[] shards)
    {
        var start = _ids.Capture();
        for (var g = 0; g < _options.GuildCount; g++)
        {
            var shard = g % _options.ShardCount;
            var ids = new SnowflakeFactory(start with { TimestampMs = start.TimestampMs + ((g + 1) * MixedGuildSpacingMs), Increment = 0 });
            var guildId = ids.NextOnShard(shard, _options.ShardCount);
            var shape = GuildShape.Draw(new SeededRandom(GuildSeed(_options.Seed, g, 0)));
            shards[shard].Add(new GuildData(new GuildRecipe(world, GuildSeed(_options.Seed, g, 1), ids.Capture(), guildId, shape)));
        }

        // Ids minted later (live events) come after every guild's.
        _ids.Advance((_options.GuildCount + 1) * MixedGuildSpacingMs);
    }
}

/// <summary>Extension helpers for building nodes.</summary>
internal static class JsonObjectExtensions
{
    /// <summary>Removes keys and returns the object, for fluent building.</summary>
    public static JsonObject Without(this JsonObject obj, params string[] keys)
    {
        foreach (var key in keys)
        {
            obj.Remove(key);
        }

        return obj;
    }
}
