using GatewayProxy.Protocol.Gateway;
using System.Text.Json.Nodes;
using GatewayProxy.Simulator;
using GatewayProxy.Simulator.Data;
using GatewayProxy.Simulator.Gateway;
using Xunit;

namespace GatewayProxy.Tests.Simulator;

/// <summary>Generated guilds are held as serialized bytes (cold) and behave exactly like the JsonNode tree they came from.</summary>
public sealed class ColdGuildTests
{
    private static SimulatorState Generate() => new DataGenerator(new SimulatorOptions { ShardCount = 2, GuildCount = 12, MembersPerGuild = 40, Seed = 7 }).Generate();

    [Fact]
    public void Cold_bytes_are_the_serialized_guild_and_survive_thawing()
    {
        var state = Generate();
        for (var shard = 0; shard < state.ShardCount; shard++)
        {
            foreach (var guild in state.Shard(shard).Guilds)
            {
                Assert.True(guild.IsCold);
                var cold = guild.ColdBytes!;
                Assert.Equal(cold.Length, guild.JsonByteCount);
                Assert.Equal(40, guild.MemberCount);

                // The fast path (stored bytes) and the parse-and-filter path give the same GUILD_CREATE.
                Assert.Same(cold, GuildViews.GuildCreateBytes(guild, GatewayIntents.All, 250, state.BotUserId));
                Assert.Equal(cold, Json.ToBytes(GuildViews.GuildCreate(guild, GatewayIntents.All, 250, state.BotUserId)));
                Assert.True(guild.IsCold);

                // An access that may change the guild thaws it; the tree serializes back to the same bytes.
                Assert.Equal(40, guild.Members.Count);
                Assert.False(guild.IsCold);
                Assert.Null(guild.ColdBytes);
                Assert.Equal(cold, Json.ToBytes(guild.Guild));
                Assert.Equal(cold.Length, guild.JsonByteCount);
                Assert.Equal(40, guild.MemberCount);
            }
        }
    }

    [Theory]
    [InlineData(GatewayIntents.All, 250)]
    [InlineData(GatewayIntents.All, 50)]
    [InlineData(GatewayIntents.All & ~GatewayIntents.GuildPresences, 250)]
    [InlineData(GatewayIntents.All & ~GatewayIntents.GuildPresences, 50)]
    public void Filtered_views_of_a_cold_guild_match_a_hot_guild_and_do_not_thaw(long intents, int largeThreshold)
    {
        var state = Generate();
        var shard = state.Shard(1);
        Assert.NotEmpty(shard.Guilds);
        foreach (var guild in shard.Guilds)
        {
            var hot = new GuildData(guild.Id, (JsonObject)JsonNode.Parse(guild.ColdBytes!)!);
            var expected = Json.ToBytes(GuildViews.GuildCreate(hot, intents, largeThreshold, state.BotUserId));
            Assert.Equal(expected, GuildViews.GuildCreateBytes(guild, intents, largeThreshold, state.BotUserId));
            Assert.Equal(expected, GuildViews.GuildCreateBytes(hot, intents, largeThreshold, state.BotUserId));
            Assert.True(guild.IsCold);
            var members = JsonNode.Parse(expected)!["members"]!.AsArray().Count;
            Assert.True((intents & GatewayIntents.GuildPresences) != 0 && largeThreshold >= 40 ? members == 40 : members < 40, $"{members} members listed");
        }
    }

    [Fact]
    public void Copies_of_a_cold_guild_are_independent_and_leave_it_cold()
    {
        var state = Generate();
        var id = state.GetGuildIds(0)[0];
        var copy = state.GetGuild(id)!;
        copy["name"] = "changed";
        Assert.NotEqual("changed", (string)state.GetGuild(id)!["name"]!);
        Assert.True(state.Shard(0).ById[id].IsCold);
        Assert.Equal(state.Shard(0).ById[id].JsonByteCount, state.GetGuilds(0).Select(g => Json.ToBytes(g).Length).First());
        long total = 0;
        foreach (var guild in state.GetGuilds(0))
        {
            total += Json.ToBytes(guild).Length;
        }

        Assert.Equal(total, state.GetGuildJsonBytes(0));
    }
}
