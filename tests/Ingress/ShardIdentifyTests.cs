using GatewayProxy.Tests.Ingress.Support;
using System.Text.Json;
using GatewayProxy.Ingress;
using GatewayProxy.Simulator;
using Xunit;

namespace GatewayProxy.Tests.Ingress;

/// <summary>All shards connect up front and identify through the bucketed queue, each with the right IDENTIFY.</summary>
public sealed class ShardIdentifyTests
{
    [Fact]
    public async Task Six_shards_with_max_concurrency_2_all_reach_ready_identifying_once_each_within_their_buckets()
    {
        SimulatorOptions sim = IngressTestKit.SimulatorDefaults(shards: 6, guilds: 12);
        sim.MaxConcurrency = 2;
        sim.IdentifyInterval = TimeSpan.FromMilliseconds(1000);
        // The Simulator measures spacing when it reads each IDENTIFY; on a loaded machine that can lag the send by a
        // scheduling delay, so the proxy keeps a margin well above such delays.
        await using IngressTestKit kit = await IngressTestKit.StartAsync(sim, s =>
        {
            IngressOptions options = IngressTestKit.OptionsFor(s);
            options.IdentifyInterval = TimeSpan.FromMilliseconds(1500);
            return options;
        });
        await kit.WaitAllReadyAsync();

        Assert.Equal(6, kit.Manager.TotalShards);
        Assert.Equal(6, kit.Manager.Shards.Count);
        // The Simulator refuses an IDENTIFY that comes too early in its bucket (op 9, and we would identify again):
        // exactly one accepted IDENTIFY per shard means the queue never broke a bucket's spacing.
        Assert.Equal(6, kit.Simulator.IdentifyCount);
        List<(int Shard, DateTimeOffset Time)> identifies = Identifies(kit.Simulator);
        Assert.Equal([0, 1, 2, 3, 4, 5], identifies.Select(i => i.Shard).Order());
        for (int bucket = 0; bucket < 2; bucket++)
        {
            var times = identifies.Where(i => i.Shard % 2 == bucket).Select(i => i.Time).ToList();
            Assert.Equal(3, times.Count);
        }

        foreach (Shard shard in kit.Manager.Shards)
        {
            Assert.Equal("ready", shard.Status);
            Assert.NotNull(shard.SessionId);
            Assert.Equal(kit.Simulator.State.GetGuildIds(shard.Id).Count, shard.TakeSnapshot().GuildCount);
        }
    }

    [Fact]
    public async Task Identify_carries_shard_intents_presence_and_large_threshold_250()
    {
        SimulatorOptions sim = IngressTestKit.SimulatorDefaults(shards: 3, guilds: 3);
        await using IngressTestKit kit = await IngressTestKit.StartAsync(sim, s =>
        {
            IngressOptions options = IngressTestKit.OptionsFor(s);
            options.ShardStart = 1;
            options.ShardEnd = 3;
            options.Status = "idle";
            options.ActivityType = 3;
            options.ActivityName = "shard {{shard}} of the proxy";
            options.Intents = 513;
            return options;
        });
        await kit.WaitAllReadyAsync();
        Assert.Null(kit.Manager.GetShard(0));
        Assert.NotNull(kit.Manager.GetShard(2));

        foreach (GatewayCommandRecord record in kit.Simulator.GetReceivedCommands().Where(c => c.Op == 2))
        {
            using JsonDocument doc = JsonDocument.Parse(record.Payload);
            JsonElement d = doc.RootElement.GetProperty("d");
            int shardId = d.GetProperty("shard")[0].GetInt32();
            Assert.InRange(shardId, 1, 2);
            Assert.Equal(3, d.GetProperty("shard")[1].GetInt32());
            Assert.Equal(513, d.GetProperty("intents").GetInt32());
            Assert.Equal(250, d.GetProperty("large_threshold").GetInt32());
            Assert.Equal(kit.Simulator.Options.Token, d.GetProperty("token").GetString());
            JsonElement presence = d.GetProperty("presence");
            Assert.Equal("idle", presence.GetProperty("status").GetString());
            JsonElement activity = presence.GetProperty("activities")[0];
            Assert.Equal($"shard {shardId} of the proxy", activity.GetProperty("name").GetString());
            Assert.Equal(3, activity.GetProperty("type").GetInt32());
        }

        Assert.Equal(2, kit.Simulator.IdentifyCount);
    }

    private static List<(int Shard, DateTimeOffset Time)> Identifies(DiscordSimulator simulator)
    {
        var list = new List<(int, DateTimeOffset)>();
        foreach (GatewayCommandRecord record in simulator.GetReceivedCommands())
        {
            if (record.Op == 2)
            {
                list.Add((record.Shard, record.Time));
            }
        }

        return list;
    }
}
