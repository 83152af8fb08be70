using GatewayProxy.Protocol.Gateway;
using GatewayProxy.Simulator;
using GatewayProxy.Simulator.Data;
using GatewayProxy.Simulator.Gateway;
using Xunit;

namespace GatewayProxy.Tests.Simulator;

/// <summary>Live events are drawn from <see cref="SimulatorOptions.Seed"/>: the same seed gives the same stream, another seed another one.</summary>
public sealed class EventSeedTests
{
    private const int Count = 300;

    [Fact]
    public void Same_seed_generates_the_same_events_and_another_seed_other_events()
    {
        var a = Stream(42);
        Assert.Equal(Count, a.Count);
        Assert.Equal(a, Stream(42));
        Assert.NotEqual(a, Stream(43));
    }

    [Fact]
    public void The_draws_come_from_the_seed_not_only_from_the_guilds_it_generated()
    {
        // Which guild (by READY position) and which kind the first event has: the same for every seed if only the shard seeded the draws.
        var firsts = new HashSet<string>(StringComparer.Ordinal);
        for (var seed = 1; seed <= 8; seed++)
        {
            var state = NewState(seed);
            var ids = state.GetGuildIds(0);
            var e = Events(state, 0, 1)[0];
            var guildId = e.GuildCreate?.IdString ?? System.Text.Json.JsonDocument.Parse(e.Data).RootElement.GetProperty("guild_id").GetString();
            firsts.Add(e.Type + " " + ids.ToList().IndexOf(guildId!));
        }

        Assert.True(firsts.Count > 1, string.Join(", ", firsts));
    }

    [Fact]
    public void Each_shard_has_its_own_stream()
    {
        Assert.NotEqual(Stream(5, shard: 0), Stream(5, shard: 1));
    }

    private static SimulatorState NewState(int seed) =>
        new DataGenerator(new SimulatorOptions { ShardCount = 2, GuildCount = 8, MembersPerGuild = 20, Seed = seed }).Generate();

    /// <summary>The first events of a shard, each as its type and payload (a GUILD_CREATE as the guild's bytes).</summary>
    private static List<string> Stream(int seed, int shard = 0) =>
        Events(NewState(seed), shard, Count).ConvertAll(e => e.Type + " " + System.Text.Encoding.UTF8.GetString(e.GuildCreate is { } guild ? Json.ToBytes(guild.Guild) : e.Data));

    private static List<LiveEvent> Events(SimulatorState state, int shard, int count)
    {
        var generator = new EventGenerator(state.Shard(shard), state.BotUserId);
        var events = new List<LiveEvent>();
        for (var attempt = 0; attempt < count * 4 && events.Count < count; attempt++)
        {
            generator.Next(GatewayIntents.All, 1, events);
        }

        return events;
    }
}
