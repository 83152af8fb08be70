using GatewayProxy.Ring.Memory;
using GatewayProxy.Tests.Egress.Support;
using GatewayProxy.Tests.Ingress.Support;
using GatewayProxy.Tests.Support;
using Xunit;

namespace GatewayProxy.Tests.Egress;

/// <summary><c>gateway_ring_bytes{shard}</c>, <c>gateway_ring_memory_bytes</c> and <c>gateway_ring_limit_trims_total</c>.</summary>
public sealed class RingBytesMetricsTests
{
    [Fact]
    public async Task Ring_bytes_follow_what_each_shard_holds_and_limit_trims_are_counted()
    {
        const int Block = SegmentPool.DefaultBlockSize;
        var time = new ManualTimeProvider();
        using var memory = new RingMemory(3L * Block, TimeSpan.FromHours(1), time, new SegmentPool(Block, 8), Timeout.InfiniteTimeSpan);
        await using EgressTestServer server = EgressTestServer.Start(total: 2, start: 0, count: 2, ringSize: 64, ringMemory: memory);
        server.Feeds[1].Publish("MESSAGE_CREATE", TestShardFeed.EventData(0));

        string text = await MetricsText.ScrapeAsync(server.Registry);
        Assert.Contains("gateway_ring_bytes{shard=\"0\"} 0\n", text, StringComparison.Ordinal);
        Assert.Contains($"gateway_ring_bytes{{shard=\"1\"}} {Block}\n", text, StringComparison.Ordinal);
        Assert.Contains($"gateway_ring_memory_bytes {Block}\n", text, StringComparison.Ordinal);
        Assert.Contains("gateway_ring_limit_trims_total 0\n", text, StringComparison.Ordinal);

        // 40 KB events: the first still fits the first block, then one block each; the fourth block passes the
        // 3-block limit, so shard 1 (holding the most) loses its oldest.
        for (int k = 1; k <= 4; k++) server.Feeds[1].Publish("MESSAGE_CREATE", TestShardFeed.EventData(k, padding: 40_000));
        text = await MetricsText.ScrapeAsync(server.Registry);
        Assert.Contains($"gateway_ring_memory_bytes {3 * Block}\n", text, StringComparison.Ordinal);
        Assert.Contains("gateway_ring_limit_trims_total 1\n", text, StringComparison.Ordinal);
    }
}
