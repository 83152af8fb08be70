using GatewayProxy.Egress.Metrics;
using GatewayProxy.Tests.Egress.Support;
using GatewayProxy.Tests.Support;
using Xunit;

namespace GatewayProxy.Tests.Egress;

/// <summary>A client that stops reading is cut with 4000; the shard and the other clients never wait for it.</summary>
public sealed class BackpressureTests
{
    [Fact]
    public async Task A_stalled_client_is_closed_with_4000_while_another_client_keeps_getting_everything()
    {
        await using EgressTestServer server = EgressTestServer.Start(o =>
        {
            o.Backpressure = 50;
            o.CloseTimeout = TimeSpan.FromSeconds(60); // the test reads the stalled client's backlog before its close frame
        }, ringSize: 8192);
        await using IdentifiedTestClient fast = await server.IdentifyAsync();
        using StalledClient stalled = await StalledClient.ConnectAndIdentifyAsync(server.Url, EgressTestServer.Token);
        // The stalled client's READY burst is sent (it fits in socket buffers) before it counts as live.
        await WaitUntilAsync(() => server.Server.ConnectedClients == 2 && server.Server.SessionCount == 2, "both sessions started");

        long published = 0;
        long seq = fast.Client.LastSeq!.Value;
        for (int round = 0; round < 2000 && server.Server.DisconnectCount(ClientDisconnectReason.Backpressure) == 0; round++)
        {
            for (int i = 0; i < 20; i++) server.Feed.Publish("MESSAGE_CREATE", TestShardFeed.EventData(published++, padding: 16 * 1024));
            // Pace the producer to the fast client so only the stalled one can fall behind.
            while (seq < 3 + published)
            {
                GatewayMessage message = await fast.Client.ReceiveAsync();
                Assert.Equal(++seq, message.Seq);
            }
        }

        Assert.Equal(1, server.Server.DisconnectCount(ClientDisconnectReason.Backpressure));
        (ushort code, string reason, int messages) = await stalled.ReadUntilCloseAsync(TimeSpan.FromSeconds(60));
        Assert.Equal(4000, code);
        Assert.Matches("^client fell [0-9]+ events behind$", reason);
        Assert.True(messages > 3, $"the stalled client got {messages} messages before its close");

        // The fast client is untouched and still live.
        server.Feed.Publish("MESSAGE_CREATE", TestShardFeed.EventData(published));
        GatewayMessage next = await fast.Client.ReceiveAsync();
        Assert.Equal(++seq, next.Seq);
    }

    private static Task WaitUntilAsync(Func<bool> condition, string what) => Poll.UntilAsync(condition, TimeSpan.FromSeconds(20), () => what);
}
