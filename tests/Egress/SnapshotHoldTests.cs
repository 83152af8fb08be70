using System.Diagnostics;
using GatewayProxy.Egress.Metrics;
using GatewayProxy.Tests.Egress.Support;
using GatewayProxy.Tests.Support;
using Xunit;

namespace GatewayProxy.Tests.Egress;

/// <summary>The snapshot loop pitfall: a client that keeps up always finishes its READY burst on a busy shard.</summary>
public sealed class SnapshotHoldTests
{
    [Fact]
    public async Task A_client_that_keeps_up_finishes_a_big_snapshot_on_a_firehose_shard_with_a_tiny_ring()
    {
        var guilds = new List<TestGuild>();
        for (int i = 0; i < 400; i++) guilds.Add(new TestGuild(9000UL + (ulong)i, false));
        // 32 slots: without holding the producer, the burst of 401 payloads would be overrun many times over.
        const int Backpressure = 8;
        // The producer's lead over what the client received. The worker's reader is never behind what the client
        // received, so its lag stays within this lead: above the backpressure limit (it was 16), a busy box that
        // delayed the worker while the producer ran cut a client that kept up.
        const int Lead = Backpressure / 2;
        await using EgressTestServer server = EgressTestServer.Start(o =>
        {
            o.Backpressure = Backpressure;
            o.SnapshotHold = TimeSpan.FromSeconds(60); // a failure guard: the hold ends when the client caught up
        }, ringSize: 32, guilds: guilds);
        long received = -1;
        await using RawGatewayClient client = await server.ConnectAsync();
        var clock = Stopwatch.StartNew();
        Task producer = Task.Run(() =>
        {
            // Until 2000 events after the snapshot (whenever the server takes it), then an end marker.
            for (int k = 0; k < int.MaxValue; k++)
            {
                if (clock.Elapsed > TimeSpan.FromSeconds(60)) throw new TimeoutException("the producer ran for too long");
                long[] snapshots = server.Feed.SnapshotPositions.ToArray();
                if (snapshots.Length > 0 && k > snapshots[^1] + 2000) break;
                // A firehose: free-running until the snapshot, and while the hold lasts. Once the hold is released the
                // client is on its own, so the producer then stays at most Lead events ahead of what the client has
                // received ("a client that keeps up"; the ring has 32 slots). Not "once the hold has blocked it": on a
                // busy box the producer may not run at all until the hold is over, and then it overran the client.
                while (snapshots.Length > 0 && server.Feed.Ring.MinimumGatingPosition == long.MaxValue
                    && k - Math.Max(Volatile.Read(ref received), snapshots[^1]) > Lead)
                {
                    if (clock.Elapsed > TimeSpan.FromSeconds(60)) throw new TimeoutException("the client stopped receiving");
                    Thread.Yield();
                }

                server.Feed.Publish("MESSAGE_CREATE", TestShardFeed.EventData(k, padding: 100));
            }

            server.Feed.Publish("TYPING_START", "{\"n\":-1}");
        });

        // The firehose is on before the client identifies, so it runs through the whole burst.
        while (server.Feed.Ring.Cursor < 100)
        {
            Assert.False(producer.IsCompleted, "the producer stopped early");
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), "the producer did not start");
            await Task.Yield();
        }

        await client.IdentifyAsync(EgressTestServer.Token, 0, 1, 1 | 512 | 2048);

        Assert.Equal("READY", (await client.ReceiveAsync()).Type);
        for (int i = 0; i < guilds.Count; i++) Assert.Equal(2 + i, (await client.ReceiveAsync()).Seq);
        long first = server.Feed.SnapshotPositions.ToArray()[^1] + 1;
        long seq = guilds.Count + 1;
        for (long n = first; ; n++)
        {
            GatewayMessage message = await client.ReceiveAsync();
            Assert.Equal(++seq, message.Seq);
            if (message.Type == "TYPING_START") break;
            Assert.Equal(n, message.Data.GetProperty("n").GetInt64());
            Volatile.Write(ref received, n);
        }

        await producer.WaitAsync(TimeSpan.FromSeconds(60));
        Assert.True(seq - (guilds.Count + 1) > 2000, "events were published during and after the burst");
        Assert.Equal(0, server.Server.DisconnectCount(ClientDisconnectReason.Overrun) + server.Server.DisconnectCount(ClientDisconnectReason.Backpressure));
    }
}
