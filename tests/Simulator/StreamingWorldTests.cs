using GatewayProxy.Protocol.Gateway;
using System.Text.Json.Nodes;
using GatewayProxy.Simulator;
using GatewayProxy.Simulator.Data;
using GatewayProxy.Simulator.Gateway;
using Xunit;

namespace GatewayProxy.Tests.Simulator;

/// <summary>
/// The world keeps no guild's JSON: each guild is generated from its recipe when read. These tests compare that with a
/// world generated the old way, in one pass that keeps every guild's bytes, and check the bounds on changed state.
/// </summary>
public sealed class StreamingWorldTests
{
    [Theory]
    [InlineData(4, 300, 50, 1)]
    [InlineData(7, 350, 12, 99)]
    public void Regenerated_guilds_have_the_bytes_of_the_world_generated_in_one_pass(int shards, int guilds, int members, int seed)
    {
        var options = new SimulatorOptions { ShardCount = shards, GuildCount = guilds, MembersPerGuild = members, Seed = seed };
        var stored = StoredWorld(options);
        var state = new DataGenerator(options).Generate();
        var compared = 0;
        for (var shard = 0; shard < shards; shard++)
        {
            var list = state.Shard(shard).Guilds;
            Assert.Equal(stored[shard].Count, list.Count);

            // Read out of order, twice: a recipe does not depend on what was generated before it.
            for (var i = list.Count - 1; i >= 0; i--)
            {
                Assert.True(list[i].IsPristine);
                Assert.Equal(stored[shard][i], list[i].ColdBytes());
                Assert.Equal(stored[shard][i], Json.ToBytes(state.GetGuild(list[i].IdString)));
                compared++;
            }
        }

        Assert.Equal(guilds, compared);
    }

    [Fact]
    public void Guilds_are_regenerated_the_same_from_several_threads()
    {
        var state = new DataGenerator(new SimulatorOptions { ShardCount = 2, GuildCount = 64, MembersPerGuild = 30, Seed = 3 }).Generate();
        var guilds = state.Shard(0).Guilds.Concat(state.Shard(1).Guilds).ToList();
        var expected = guilds.ConvertAll(g => g.ColdBytes()!);
        var results = new byte[4][][];
        Parallel.For(0, 4, t => results[t] = guilds.Select(g => g.ColdBytes()!).ToArray());
        foreach (var result in results)
        {
            Assert.Equal(expected, result);
        }
    }

    [Fact]
    public void Freezing_changed_guilds_after_every_call_keeps_the_live_stream_the_same()
    {
        var options = new SimulatorOptions { ShardCount = 2, GuildCount = 40, MembersPerGuild = 30, Seed = 11 };
        var kept = Stream(new DataGenerator(options).Generate(), hotLimit: null, out var keptTrees);
        var frozen = Stream(new DataGenerator(options).Generate(), hotLimit: 0, out var frozenTrees);
        Assert.Equal(kept, frozen);
        Assert.True(keptTrees > 5, $"{keptTrees} trees without a limit");
        Assert.Equal(0, frozenTrees);
    }

    [Fact]
    public void Live_events_touch_only_the_live_guilds_of_a_shard()
    {
        var state = new DataGenerator(new SimulatorOptions { ShardCount = 1, GuildCount = 50, MembersPerGuild = 20, Seed = 5 }).Generate();
        var shard = state.Shard(0);
        var generator = new EventGenerator(shard, state.BotUserId) { LiveGuilds = 3 };
        var events = new List<LiveEvent>();
        for (var i = 0; i < 400; i++)
        {
            generator.Next(GatewayIntents.All, 2, events);
        }

        Assert.True(events.Count >= 400);
        for (var i = 0; i < shard.Guilds.Count; i++)
        {
            Assert.True(i < 3 || shard.Guilds[i].IsPristine, $"guild {i} changed");
        }

        Assert.Contains(shard.Guilds.Take(3), g => !g.IsPristine);
    }

    [Fact]
    public void A_mixed_world_is_deterministic_per_guild_and_has_every_size()
    {
        var options = new SimulatorOptions { ShardCount = 8, GuildCount = 1200, Seed = 21, GuildSizeMix = true };
        var a = new DataGenerator(options).Generate();
        var b = new DataGenerator(options).Generate();
        var sizes = new Dictionary<GuildSize, int>();
        for (var shard = 0; shard < 8; shard++)
        {
            var guilds = a.Shard(shard).Guilds;
            for (var i = 0; i < guilds.Count; i++)
            {
                var guild = guilds[i];
                Assert.Equal(shard, a.ShardOf(guild.Id));
                sizes[guild.Size] = sizes.GetValueOrDefault(guild.Size) + 1;
                Assert.Equal(guild.IdString, b.Shard(shard).Guilds[i].IdString);
                if (i % 25 == 0 || guild.Size == GuildSize.Huge)
                {
                    var bytes = guild.ColdBytes()!;
                    Assert.Equal(bytes, b.Shard(shard).Guilds[i].ColdBytes());
                    var tree = JsonNode.Parse(bytes)!;
                    Assert.Equal(guild.MemberCount, tree["members"]!.AsArray().Count);
                    Assert.Equal(guild.MemberCount, (int)tree["member_count"]!);
                    var (min, max) = guild.Size switch
                    {
                        GuildSize.Small => (10, 100),
                        GuildSize.Large => (251, 1000),
                        _ => (1000, 5000),
                    };
                    Assert.InRange(guild.MemberCount, min, max);
                }
            }
        }

        var reported = a.GuildSizes();
        Assert.Equal(sizes.OrderBy(p => p.Key).Select(p => (p.Key, p.Value)), reported.Select(p => (p.Key, p.Value.Guilds)));
        Assert.True(reported[GuildSize.Huge].Members >= 1000L * reported[GuildSize.Huge].Guilds);
        Assert.InRange(sizes[GuildSize.Small], 1000, 1150);
        Assert.InRange(sizes[GuildSize.Large], 70, 160);
        Assert.InRange(sizes[GuildSize.Huge], 2, 30);

        // Another seed, another world.
        var other = new DataGenerator(new SimulatorOptions { ShardCount = 8, GuildCount = 1200, Seed = 22, GuildSizeMix = true }).Generate();
        Assert.NotEqual(a.Shard(0).Guilds[0].ColdBytes(), other.Shard(0).Guilds[0].ColdBytes());
    }

    [Theory]
    [InlineData(GatewayIntents.All & ~GatewayIntents.GuildPresences, 250)]
    [InlineData(GatewayIntents.All, 250)]
    [InlineData(GatewayIntents.All, 50)]
    public void Views_of_a_mixed_world_match_views_of_the_whole_guild(long intents, int largeThreshold)
    {
        var state = new DataGenerator(new SimulatorOptions { ShardCount = 2, GuildCount = 300, Seed = 8, GuildSizeMix = true }).Generate();
        var checkedSizes = new HashSet<GuildSize>();
        foreach (var guild in state.Shard(0).Guilds.Concat(state.Shard(1).Guilds))
        {
            if (guild.Size != GuildSize.Small || checkedSizes.Add(guild.Size) || guild.Id % 7 == 0)
            {
                checkedSizes.Add(guild.Size);
                var whole = new GuildData(guild.Id, guild.ColdTree());
                Assert.Equal(Json.ToBytes(GuildViews.GuildCreate(whole, intents, largeThreshold, state.BotUserId)),
                    GuildViews.GuildCreateBytes(guild, intents, largeThreshold, state.BotUserId));
                Assert.True(guild.IsPristine);
            }
        }

        Assert.Contains(GuildSize.Large, checkedSizes);
    }

    /// <summary>The old way: one sequence, every guild generated in order and its bytes kept.</summary>
    private static List<byte[]>[] StoredWorld(SimulatorOptions options)
    {
        var rng = new Random(options.Seed);
        var ids = new SnowflakeFactory(DataGenerator.BaseUnixMs);
        var botId = ids.Next();
        var poolSize = Math.Min(Math.Max(options.MembersPerGuild * 3, 16), 200_000);
        ids.Advance(86_400_000);
        var users = new (ulong, string)[poolSize];
        for (var i = 0; i < poolSize; i++)
        {
            users[i] = (ids.Next(), Names.User(rng));
        }

        var world = new WorldTemplate(options, botId, users);
        var shards = new List<byte[]>[options.ShardCount];
        for (var s = 0; s < shards.Length; s++)
        {
            shards[s] = [];
        }

        for (var g = 0; g < options.GuildCount; g++)
        {
            ids.Advance(3_600_000 + rng.Next(3_600_000));
            var shard = g % options.ShardCount;
            var guildId = ids.NextOnShard(shard, options.ShardCount);
            shards[shard].Add(Json.ToBytes(new GuildGenerator(world, rng, ids, GuildShape.FromOptions(options)).Make(guildId)));
        }

        return shards;
    }

    private static List<string> Stream(SimulatorState state, int? hotLimit, out int trees)
    {
        var shard = state.Shard(0);
        var generator = new EventGenerator(shard, state.BotUserId);
        var stream = new List<string>();
        var events = new List<LiveEvent>();
        for (var call = 0; call < 300; call++)
        {
            events.Clear();
            generator.Next(GatewayIntents.All, 2, events);
            foreach (var e in events)
            {
                stream.Add(e.Type + " " + System.Text.Encoding.UTF8.GetString(e.GuildCreate is { } guild ? GuildViews.GuildCreateBytes(guild, GatewayIntents.All, 250, state.BotUserId) : e.Data));
            }

            shard.Hot.Trim(hotLimit);
        }

        trees = shard.Hot.Count;
        return stream;
    }
}
