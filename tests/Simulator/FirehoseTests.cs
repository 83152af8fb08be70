using System.Text;
using GatewayProxy.Simulator;
using GatewayProxy.Tests.Support;
using Xunit;

namespace GatewayProxy.Tests.Simulator;

/// <summary>Pre-generated dispatches (the perf driver's firehose): replayed in a loop, sequenced per session, bytes as generated.</summary>
public sealed class FirehoseTests
{
    [Fact]
    public async Task Emit_prepared_replays_the_pool_in_order_with_consecutive_sequences()
    {
        await using var simulator = await SimulatorClients.StartAsync(o => o.GuildCount = 4);
        var pool = simulator.GenerateDispatches(0, 10);
        Assert.Equal(10, pool.Count);
        await using var first = await SimulatorClients.ConnectIdentifiedAsync(simulator, 0);
        await using var second = await SimulatorClients.ConnectIdentifiedAsync(simulator, 0);
        var before = simulator.GetSentDispatches(0).Count;

        // Wraps around: 25 events from index 3 of a pool of 10.
        Assert.Equal(2, simulator.EmitPrepared(0, pool, 3, 25));

        foreach (var client in new[] { first, second })
        {
            var seq = (long)(1 + client.GuildCreates.Count);
            for (var i = 0; i < 25; i++)
            {
                var message = await client.Client.ReceiveAsync();
                var expected = pool[(3 + i) % pool.Count];
                Assert.Equal(++seq, message.Seq);
                Assert.Equal(expected.Type, message.Type);
                var json = Encoding.UTF8.GetString(message.Json);
                Assert.EndsWith(",\"op\":0,\"d\":" + Encoding.UTF8.GetString(expected.Data) + "}", json, StringComparison.Ordinal);
            }
        }

        // Not recorded: a firehose of millions of events must not grow the record.
        Assert.Equal(before, simulator.GetSentDispatches(0).Count);
    }

    [Fact]
    public async Task Generated_pool_holds_the_usual_event_mix()
    {
        await using var simulator = await SimulatorClients.StartAsync(o => o.GuildCount = 4);
        var pool = simulator.GenerateDispatches(1, 400);
        var types = pool.Select(d => d.Type).ToHashSet();
        Assert.Subset(types, new HashSet<string> { "MESSAGE_CREATE", "TYPING_START", "PRESENCE_UPDATE" });
        Assert.All(pool, d => Assert.True(d.Data.Length > 2, d.Type));
    }
}
