namespace GatewayProxy.Simulator.Data;

/// <summary>
/// Everything needed to generate one guild again, byte for byte: where the random sequence and the id factory stood when
/// its generation began, its id and its shape. A few hundred bytes, where the guild's JSON is tens of kilobytes.
/// </summary>
internal sealed class GuildRecipe
{
    private readonly WorldTemplate _world;
    private readonly RandomState? _random;
    private readonly int _seed;
    private readonly SnowflakeState _ids;

    /// <summary>A guild of the sequential world: its draws continue <paramref name="random"/>.</summary>
    public GuildRecipe(WorldTemplate world, RandomState random, SnowflakeState ids, ulong guildId, GuildShape shape)
    {
        _world = world;
        _random = random;
        _ids = ids;
        Id = guildId;
        Shape = shape;
    }

    /// <summary>A guild with its own random sequence, started from <paramref name="seed"/>.</summary>
    public GuildRecipe(WorldTemplate world, int seed, SnowflakeState ids, ulong guildId, GuildShape shape)
    {
        _world = world;
        _seed = seed;
        _ids = ids;
        Id = guildId;
        Shape = shape;
    }

    /// <summary>The guild id.</summary>
    public ulong Id { get; }

    /// <summary>The guild's size.</summary>
    public GuildShape Shape { get; }

    /// <summary>member_count of the generated guild (the bot included).</summary>
    public int MemberCount => _world.MemberCount(Shape);

    /// <summary>Whether <see cref="Make"/> can stop after a few members (a mixed world's guilds draw members from their own sequence).</summary>
    public bool CanLimitMembers => _random is null;

    /// <summary>
    /// Generates the guild (a new tree each call; safe from any thread). <paramref name="memberLimit"/> stops after that
    /// many members besides the bot where <see cref="CanLimitMembers"/>; otherwise every member is generated.
    /// </summary>
    public System.Text.Json.Nodes.JsonObject Make(int memberLimit = int.MaxValue)
    {
        if (_random is { } state)
        {
            return new GuildGenerator(_world, SeededRandom.Resume(state), new SnowflakeFactory(_ids), Shape).Make(Id);
        }

        var generator = new GuildGenerator(_world, new SeededRandom(_seed), new SnowflakeFactory(_ids), Shape, new SeededRandom(MemberSeed(_seed)));
        return generator.Make(Id, memberLimit);
    }

    /// <summary>The member sequence's seed, derived from the content seed.</summary>
    private static int MemberSeed(int seed) => DataGenerator.GuildSeed(seed, 0x5EED, 2);
}
