using GatewayProxy.Tests.Egress.Support;
using GatewayProxy.Tests.Support;
using Xunit;

namespace GatewayProxy.Tests.Egress;

/// <summary>RESUME: replay of the gap with the same sequence numbers, RESUMED, and INVALID_SESSION when it cannot be done.</summary>
public sealed class ResumeTests
{
    [Fact]
    public async Task Resume_after_a_dropped_socket_replays_the_gap_then_RESUMED_then_live_events()
    {
        await using EgressTestServer server = EgressTestServer.Start();
        IdentifiedTestClient first = await server.IdentifyAsync();
        for (int k = 0; k < 10; k++) server.Feed.Publish("MESSAGE_CREATE", TestShardFeed.EventData(k));
        for (int k = 0; k < 10; k++) await first.Client.ReceiveAsync();
        long lastSeq = first.Client.LastSeq!.Value;
        Assert.Equal(13, lastSeq);
        first.Client.Abort();
        await first.DisposeAsync();
        for (int k = 10; k < 25; k++) server.Feed.Publish("MESSAGE_CREATE", TestShardFeed.EventData(k));

        await using RawGatewayClient second = await server.ConnectAsync();
        await second.ResumeAsync("Bot " + EgressTestServer.Token, first.SessionId, lastSeq - 3);
        // Replayed from the seq the client says it has: events 7..24 with the same numbers as before (11..28).
        for (int k = 7; k < 25; k++)
        {
            GatewayMessage message = await second.ReceiveAsync();
            Assert.Equal("MESSAGE_CREATE", message.Type);
            Assert.Equal((k, k + 4L), (message.Data.GetProperty("n").GetInt64(), message.Seq!.Value));
        }

        GatewayMessage resumed = await second.ReceiveAsync();
        Assert.Equal(("RESUMED", 29L), (resumed.Type, resumed.Seq!.Value));
        server.Feed.Publish("MESSAGE_CREATE", TestShardFeed.EventData(25));
        GatewayMessage live = await second.ReceiveAsync();
        Assert.Equal((25L, 30L), (live.Data.GetProperty("n").GetInt64(), live.Seq!.Value));
    }

    [Fact]
    public async Task Resume_of_a_session_whose_old_socket_is_still_open_takes_it_over()
    {
        await using EgressTestServer server = EgressTestServer.Start();
        await using IdentifiedTestClient first = await server.IdentifyAsync();
        server.Feed.Publish("MESSAGE_CREATE", TestShardFeed.EventData(0));
        await first.Client.ReceiveAsync();

        await using RawGatewayClient second = await server.ConnectAsync();
        await second.ResumeAsync(EgressTestServer.Token, first.SessionId, 4);
        GatewayMessage resumed = await second.ReceiveAsync();
        Assert.Equal(("RESUMED", 5L), (resumed.Type, resumed.Seq!.Value));
        ushort? code = await first.Client.ReceiveCloseAsync();
        Assert.NotNull(code);
        Assert.NotEqual((ushort)1000, code);
        server.Feed.Publish("MESSAGE_CREATE", TestShardFeed.EventData(1));
        GatewayMessage live = await second.ReceiveAsync();
        Assert.Equal((1L, 6L), (live.Data.GetProperty("n").GetInt64(), live.Seq!.Value));
    }

    [Fact]
    public async Task Bad_resume_gets_invalid_session_false_and_the_client_can_identify_on_the_same_socket()
    {
        await using EgressTestServer server = EgressTestServer.Start();
        await using RawGatewayClient client = await server.ConnectAsync();
        await client.ResumeAsync(EgressTestServer.Token, "0123456789abcdef0123456789abcdef", 5);
        GatewayMessage invalid = await client.ReceiveAsync();
        Assert.Equal(9, invalid.Op);
        Assert.False(invalid.Data.GetBoolean());

        await client.IdentifyAsync(EgressTestServer.Token, 0, 1, 1);
        GatewayMessage ready = await client.ReceiveAsync();
        Assert.Equal("READY", ready.Type);
    }

    [Fact]
    public async Task Resume_into_the_ready_burst_or_past_the_last_seq_is_invalid()
    {
        await using EgressTestServer server = EgressTestServer.Start();
        IdentifiedTestClient first = await server.IdentifyAsync();
        await first.DisposeAsync();
        foreach (long seq in new long[] { 1, 2, 99 })
        {
            await using RawGatewayClient client = await server.ConnectAsync();
            await client.ResumeAsync(EgressTestServer.Token, first.SessionId, seq);
            GatewayMessage invalid = await client.ReceiveAsync();
            Assert.Equal((9, false), (invalid.Op, invalid.Data.GetBoolean()));
        }
    }

    [Fact]
    public async Task Resume_fails_once_the_ring_no_longer_holds_the_gap()
    {
        await using EgressTestServer server = EgressTestServer.Start(ringSize: 16);
        IdentifiedTestClient first = await server.IdentifyAsync();
        await first.DisposeAsync();
        for (int k = 0; k < 40; k++) server.Feed.Publish("MESSAGE_CREATE", TestShardFeed.EventData(k));
        await using RawGatewayClient client = await server.ConnectAsync();
        await client.ResumeAsync(EgressTestServer.Token, first.SessionId, 3);
        GatewayMessage invalid = await client.ReceiveAsync();
        Assert.Equal((9, false), (invalid.Op, invalid.Data.GetBoolean()));
    }

    [Fact]
    public async Task A_client_close_with_1000_ends_the_session_and_4901_keeps_it()
    {
        await using EgressTestServer server = EgressTestServer.Start();
        IdentifiedTestClient normal = await server.IdentifyAsync();
        await normal.Client.CloseAsync(1000);
        Assert.Equal((ushort)1000, await normal.Client.ReceiveCloseAsync());
        await normal.DisposeAsync();

        IdentifiedTestClient eris = await server.IdentifyAsync();
        await eris.Client.CloseAsync(4901, "reconnect");
        Assert.Equal((ushort)4901, await eris.Client.ReceiveCloseAsync());
        await eris.DisposeAsync();

        await using RawGatewayClient again = await server.ConnectAsync();
        await again.ResumeAsync(EgressTestServer.Token, normal.SessionId, 3);
        GatewayMessage invalid = await again.ReceiveAsync();
        Assert.Equal((9, false), (invalid.Op, invalid.Data.GetBoolean()));

        await using RawGatewayClient resumed = await server.ConnectAsync();
        await resumed.ResumeAsync(EgressTestServer.Token, eris.SessionId, 3);
        GatewayMessage ok = await resumed.ReceiveAsync();
        Assert.Equal(("RESUMED", 4L), (ok.Type, ok.Seq!.Value));
    }

    [Fact]
    public async Task A_detached_session_expires_after_its_ttl()
    {
        await using EgressTestServer server = EgressTestServer.Start(o =>
        {
            o.SessionTtl = TimeSpan.Zero;
            o.HeartbeatIntervalMs = 400; // maintenance ticks every 100 ms
        });
        IdentifiedTestClient first = await server.IdentifyAsync();
        Assert.Equal(1, server.Server.SessionCount);
        first.Client.Abort();
        await first.DisposeAsync();
        using (var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20)))
        {
            while (server.Server.SessionCount != 0)
            {
                Assert.False(timeout.IsCancellationRequested, "the session never expired");
                await Task.Delay(10, CancellationToken.None);
            }
        }

        await using RawGatewayClient again = await server.ConnectAsync();
        await again.ResumeAsync(EgressTestServer.Token, first.SessionId, 3);
        GatewayMessage invalid = await again.ReceiveAsync();
        Assert.Equal((9, false), (invalid.Op, invalid.Data.GetBoolean()));
    }
}
