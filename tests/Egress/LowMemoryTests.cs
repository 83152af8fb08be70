using System.Net.Http;
using System.Text.Json;
using GatewayProxy.Egress.Metrics;
using GatewayProxy.Egress.Server;
using GatewayProxy.Tests.Egress.Support;
using GatewayProxy.Tests.Support;
using Xunit;

namespace GatewayProxy.Tests.Egress;

/// <summary>The memory guard acting on a server, with the heap it reads scripted: the largest backlogs are cut with 4000
/// "the proxy is low on memory" (a client that keeps up is not), new clients get 503 with a body that says why, and
/// once the heap is back down clients are served again. The real GC limit is <c>MemoryPressureTests</c>'s.</summary>
public sealed class LowMemoryTests
{
    private const long MiB = 1024 * 1024;

    [Fact]
    public async Task Near_the_limit_the_largest_backlogs_are_cut_and_new_clients_refused_while_a_client_that_keeps_up_is_untouched()
    {
        var probe = new SettableProbe { Heap = 10 * MiB };
        await using EgressTestServer server = EgressTestServer.Start(o =>
        {
            o.MemoryLimit = 100 * MiB;
            o.HeapProbe = probe;
            o.MemoryCheckInterval = TimeSpan.FromMilliseconds(20);
            o.Backpressure = 8192;
            o.CloseTimeout = TimeSpan.FromSeconds(60); // the test reads the stalled clients' backlogs before their close frames
        }, ringSize: 8192);
        await using IdentifiedTestClient fast = await server.IdentifyAsync();
        using StalledClient stalledA = await StalledClient.ConnectAndIdentifyAsync(server.Url, EgressTestServer.Token);
        using StalledClient stalledB = await StalledClient.ConnectAndIdentifyAsync(server.Url, EgressTestServer.Token);
        await Poll.UntilAsync(() => server.Server.SessionCount == 3, TimeSpan.FromSeconds(20), () => "three sessions");

        // Events the fast client reads as they come and the stalled ones cannot: their outputs back up.
        long published = 0;
        long seq = fast.Client.LastSeq!.Value;
        while (published < 200)
        {
            for (int i = 0; i < 10; i++) server.Feed.Publish("MESSAGE_CREATE", TestShardFeed.EventData(published++, padding: 16 * 1024));
            while (seq < 1 + fast.Guilds.Count + published)
            {
                GatewayMessage message = await fast.Client.ReceiveAsync();
                Assert.Equal(++seq, message.Seq);
            }
        }

        Assert.Equal(0, server.Server.DisconnectCount(ClientDisconnectReason.LowMemory));
        probe.Heap = 95 * MiB;
        await Poll.UntilAsync(() => server.Server.DisconnectCount(ClientDisconnectReason.LowMemory) == 2, TimeSpan.FromSeconds(30),
            () => $"both stalled clients cut for memory (cut: {server.Server.DisconnectCount(ClientDisconnectReason.LowMemory)}, state {server.Server.Memory.State})");

        foreach (StalledClient stalled in new[] { stalledA, stalledB })
        {
            (ushort code, string reason, int messages) = await stalled.ReadUntilCloseAsync(TimeSpan.FromSeconds(30));
            Assert.Equal(4000, code);
            Assert.Equal("the proxy is low on memory", reason);
            Assert.True(messages > 3, $"a stalled client got {messages} messages before its close");
        }

        // Still low: a new client is refused at the upgrade, told why; the client that kept up keeps getting every event.
        HandshakeRejectedException refused = await Assert.ThrowsAsync<HandshakeRejectedException>(() => server.ConnectAsync());
        Assert.Equal(503, refused.Status);
        Assert.Contains("the proxy is low on memory", refused.Response, StringComparison.Ordinal);
        Assert.True(server.Server.RefusedCount(RefusalReason.LowMemory) >= 1);
        server.Feed.Publish("MESSAGE_CREATE", TestShardFeed.EventData(published));
        Assert.Equal(++seq, (await fast.Client.ReceiveAsync()).Seq);

        using (var http = new HttpClient())
        {
            using JsonDocument health = JsonDocument.Parse(await http.GetStringAsync(new Uri(server.HttpUrl, "/health")));
            JsonElement memory = health.RootElement.GetProperty("memory");
            Assert.Equal(100 * MiB, memory.GetProperty("limit_bytes").GetInt64());
            Assert.NotEqual("normal", memory.GetProperty("state").GetString());
        }

        // Back below the resume threshold: clients are served again.
        probe.Heap = 20 * MiB;
        await Poll.UntilAsync(() => server.Server.Memory.State == MemoryState.Normal, TimeSpan.FromSeconds(30), () => "the guard back to normal");
        await using IdentifiedTestClient again = await server.IdentifyAsync();
        Assert.Equal("READY", again.Ready.Type);
    }

    private sealed class SettableProbe : IHeapProbe
    {
        private long _heap;

        public long Heap
        {
            get => Interlocked.Read(ref _heap);
            set => Interlocked.Exchange(ref _heap, value);
        }

        public long HeapNow() => Heap;

        public long Collect() => Heap;
    }
}
