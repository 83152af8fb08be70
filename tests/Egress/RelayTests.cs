using System.Text;
using GatewayProxy.Protocol.Compression;
using GatewayProxy.Tests.Egress.Support;
using GatewayProxy.Tests.Support;
using Xunit;

namespace GatewayProxy.Tests.Egress;

/// <summary>READY, GUILD_CREATEs and live events over real sockets, for every transport compression.</summary>
public sealed class RelayTests
{
    [Theory]
    [InlineData(TransportCompression.None)]
    [InlineData(TransportCompression.ZlibStream)]
    [InlineData(TransportCompression.ZstdStream)]
    public async Task Identify_gets_ready_guilds_then_every_live_event_byte_identical_with_consecutive_seq(TransportCompression compression)
    {
        await using EgressTestServer server = EgressTestServer.Start(guilds: [new TestGuild(10, false), new TestGuild(11, true), new TestGuild(12, false)]);
        // History before the client exists is not its business.
        for (int k = 0; k < 5; k++) server.Feed.Publish("MESSAGE_CREATE", TestShardFeed.EventData(-1 - k));

        await using RawGatewayClient client = await RawGatewayClient.ConnectAsync(server.Url, compression);
        GatewayMessage hello = await client.ReceiveAsync();
        Assert.Equal(10, hello.Op);
        Assert.Equal(41250, hello.Data.GetProperty("heartbeat_interval").GetInt32());
        Assert.Equal(compression != TransportCompression.None, hello.BinaryFrame);

        await client.IdentifyAsync(EgressTestServer.Token, 0, 1, 513 | 2048);
        GatewayMessage ready = await client.ReceiveAsync();
        Assert.Equal("READY", ready.Type);
        Assert.Equal(1, ready.Seq);
        string sessionId = ready.Data.GetProperty("session_id").GetString()!;
        Assert.Matches("^[0-9a-f]{32}$", sessionId);
        string resumeUrl = ready.Data.GetProperty("resume_gateway_url").GetString()!;
        Assert.Equal(server.Server.ResumeGatewayUrl, resumeUrl);
        Assert.DoesNotContain("?", resumeUrl, StringComparison.Ordinal);
        Assert.False(resumeUrl.EndsWith('/'));
        Assert.Equal("[0,1]", ready.Data.GetProperty("shard").GetRawText());
        Assert.Equal("4242", ready.Data.GetProperty("user").GetProperty("id").GetString());
        Assert.Equal(3, ready.Data.GetProperty("guilds").GetArrayLength());
        Assert.Equal(0, ready.Data.GetProperty("private_channels").GetArrayLength());
        Assert.Equal("4242", ready.Data.GetProperty("application").GetProperty("id").GetString());

        GatewayMessage g1 = await client.ReceiveAsync();
        GatewayMessage g2 = await client.ReceiveAsync();
        GatewayMessage g3 = await client.ReceiveAsync();
        Assert.Equal(("GUILD_CREATE", 2L, "10"), (g1.Type, g1.Seq!.Value, g1.Data.GetProperty("id").GetString()));
        Assert.Equal(("GUILD_DELETE", 3L, "11"), (g2.Type, g2.Seq!.Value, g2.Data.GetProperty("id").GetString()));
        Assert.True(g2.Data.GetProperty("unavailable").GetBoolean());
        Assert.Equal(("GUILD_CREATE", 4L, "12"), (g3.Type, g3.Seq!.Value, g3.Data.GetProperty("id").GetString()));
        Assert.Equal(50, g1.Data.GetProperty("large_threshold").GetInt32());
        Assert.Equal("4242", g1.Data.GetProperty("bot_user_id").GetString());
        Assert.False(g1.Data.GetProperty("presences_intent").GetBoolean()); // GUILDS, GUILD_MESSAGES and GUILD_MESSAGE_TYPING only

        const int count = 200;
        var expected = new List<string>();
        for (int k = 0; k < count; k++)
        {
            string d = TestShardFeed.EventData(k, padding: k % 7 == 0 ? 3000 : 10);
            server.Feed.Publish(k % 3 == 0 ? "MESSAGE_CREATE" : "TYPING_START", d);
            expected.Add(TestShardFeed.DispatchJson(k % 3 == 0 ? "MESSAGE_CREATE" : "TYPING_START", 5 + k + 0L, d));
        }

        for (int k = 0; k < count; k++)
        {
            GatewayMessage message = await client.ReceiveAsync();
            long clientSeq = 5 + k;
            // The payload is the upstream one with only "s" rewritten (upstream s happened to be 6 + k here).
            string upstream = expected[k];
            string want = upstream.Replace($"\"s\":{6 + k},", $"\"s\":{clientSeq},", StringComparison.Ordinal);
            Assert.Equal(want, Encoding.UTF8.GetString(message.Json));
        }
    }

    [Fact]
    public async Task Two_clients_on_one_shard_each_get_every_event_in_order()
    {
        await using EgressTestServer server = EgressTestServer.Start();
        await using IdentifiedTestClient a = await server.IdentifyAsync();
        await using IdentifiedTestClient b = await server.IdentifyAsync(TransportCompression.ZlibStream);
        for (int k = 0; k < 300; k++) server.Feed.Publish("MESSAGE_CREATE", TestShardFeed.EventData(k));

        foreach (IdentifiedTestClient c in new[] { a, b })
        {
            for (int k = 0; k < 300; k++)
            {
                GatewayMessage message = await c.Client.ReceiveAsync();
                Assert.Equal(4 + k, message.Seq);
                Assert.Equal(k, message.Data.GetProperty("n").GetInt64());
            }
        }
    }

    [Fact]
    public async Task Identify_while_events_are_published_loses_and_duplicates_nothing_at_the_snapshot_boundary()
    {
        var guilds = new List<TestGuild>();
        for (int i = 0; i < 150; i++) guilds.Add(new TestGuild(5000UL + (ulong)i, i % 10 == 0));
        // The ring holds every event: this test is about the boundary, not about a tight-loop producer outrunning a
        // descheduled worker on a loaded machine.
        await using EgressTestServer server = EgressTestServer.Start(guilds: guilds, ringSize: 4096);
        const int total = 3000;
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        Task producer = Task.Run(() =>
        {
            for (int k = 0; k < total && !stop.IsCancellationRequested; k++) server.Feed.Publish("MESSAGE_CREATE", TestShardFeed.EventData(k, padding: 200));
        });

        var clients = new List<IdentifiedTestClient>();
        try
        {
            for (int i = 0; i < 3; i++) clients.Add(await server.IdentifyAsync(i == 1 ? TransportCompression.ZstdStream : TransportCompression.None));
            await producer.WaitAsync(TimeSpan.FromSeconds(60));
            long[] positions = server.Feed.SnapshotPositions.ToArray();
            Assert.Equal(3, positions.Length);
            for (int i = 0; i < clients.Count; i++)
            {
                // Ring sequence r holds event n = r (one event per publish from 0): live events start right after the snapshot.
                long first = positions[i] + 1;
                long seq = guilds.Count + 1;
                for (long n = first; n < total; n++)
                {
                    GatewayMessage message = await clients[i].Client.ReceiveAsync();
                    Assert.Equal(++seq, message.Seq);
                    Assert.Equal(n, message.Data.GetProperty("n").GetInt64());
                }
            }
        }
        finally
        {
            await stop.CancelAsync();
            foreach (IdentifiedTestClient c in clients) await c.DisposeAsync();
        }
    }

    [Fact]
    public async Task Upstream_ready_and_resumed_in_the_ring_are_never_relayed()
    {
        await using EgressTestServer server = EgressTestServer.Start();
        await using IdentifiedTestClient c = await server.IdentifyAsync();
        server.Feed.Publish("MESSAGE_CREATE", TestShardFeed.EventData(1));
        server.Feed.Publish("READY", "{\"v\":10,\"session_id\":\"upstream\"}");
        server.Feed.Publish("RESUMED", "{}");
        server.Feed.Publish("MESSAGE_CREATE", TestShardFeed.EventData(2));
        GatewayMessage first = await c.Client.ReceiveAsync();
        GatewayMessage second = await c.Client.ReceiveAsync();
        Assert.Equal((1L, 4L), (first.Data.GetProperty("n").GetInt64(), first.Seq!.Value));
        Assert.Equal((2L, 5L), (second.Data.GetProperty("n").GetInt64(), second.Seq!.Value));
    }

    [Fact]
    public async Task Client_waits_for_a_shard_that_is_not_ready_with_heartbeats_answered()
    {
        await using EgressTestServer server = EgressTestServer.Start();
        server.Feed.SetReady(false);
        await using RawGatewayClient client = await server.ConnectAsync();
        await client.IdentifyAsync(EgressTestServer.Token, 0, 1, 513);
        await client.SendAsync("{\"op\":1,\"d\":0}");
        GatewayMessage ack = await client.ReceiveAsync();
        Assert.Equal(11, ack.Op);
        server.Feed.Publish("MESSAGE_CREATE", TestShardFeed.EventData(7));
        server.Feed.SetReady(true);
        GatewayMessage ready = await client.ReceiveAsync();
        Assert.Equal("READY", ready.Type);
        await client.ReceiveAsync();
        await client.ReceiveAsync();
        server.Feed.Publish("MESSAGE_CREATE", TestShardFeed.EventData(8));
        GatewayMessage live = await client.ReceiveAsync();
        Assert.Equal((8L, 4L), (live.Data.GetProperty("n").GetInt64(), live.Seq!.Value));
    }

    [Fact]
    public async Task Identify_compress_true_sends_large_payloads_as_zlib_binary_frames()
    {
        await using EgressTestServer server = EgressTestServer.Start();
        await using IdentifiedTestClient c = await server.IdentifyAsync(extra: ",\"compress\":true");
        server.Feed.Publish("MESSAGE_CREATE", TestShardFeed.EventData(1, padding: 5000));
        server.Feed.Publish("MESSAGE_CREATE", TestShardFeed.EventData(2, padding: 10));
        GatewayMessage big = await c.Client.ReceiveAsync();
        GatewayMessage small = await c.Client.ReceiveAsync();
        Assert.True(big.BinaryFrame);
        Assert.Equal((1L, 4L), (big.Data.GetProperty("n").GetInt64(), big.Seq!.Value));
        Assert.False(small.BinaryFrame);
        Assert.Equal(5L, small.Seq);
    }

    [Fact]
    public async Task Heartbeats_are_acknowledged_before_identify_with_any_d()
    {
        await using EgressTestServer server = EgressTestServer.Start();
        await using RawGatewayClient client = await server.ConnectAsync();
        foreach (string beat in new[] { "{\"op\":1,\"d\":null}", "{\"op\":1,\"d\":0}", "{\"op\":1,\"d\":123}", "{\"op\":1}" })
        {
            await client.SendAsync(beat);
            GatewayMessage ack = await client.ReceiveAsync();
            Assert.Equal(11, ack.Op);
        }
    }
}
