using GatewayProxy.Egress;
using GatewayProxy.Ring;
using GatewayProxy.Tests.Egress.Hostile;
using GatewayProxy.Tests.Egress.Support;
using GatewayProxy.Tests.Support;
using Xunit;

namespace GatewayProxy.Tests.Egress;

/// <summary><c>gateway_ring_occupancy{shard}</c>: how far the slowest live reader of a shard's ring is behind its cursor.</summary>
public sealed class RingOccupancyTests
{
    [Fact]
    public async Task Occupancy_is_what_the_cache_updater_has_not_consumed_and_drops_to_zero_when_it_catches_up()
    {
        await using EgressTestServer server = EgressTestServer.Start(total: 2, start: 0, count: 2, ringSize: 64);
        // Stands in for the cache updater: a gating reader from the start, as Shard.cs adds one.
        using GatingReader cacheUpdater = server.Feeds[1].Ring.AddGatingReader(-1);
        for (int i = 0; i < 5; i++) server.Feeds[1].Publish("TYPING_START", "{\"channel_id\":\"1\",\"guild_id\":\"1100\",\"user_id\":\"3\"}");

        string text = await MetricsText.ScrapeAsync(server.Registry);
        Assert.Contains("gateway_ring_occupancy{shard=\"1\"} 5\n", text, StringComparison.Ordinal);
        Assert.Contains("gateway_ring_occupancy{shard=\"0\"} 0\n", text, StringComparison.Ordinal);

        Assert.True(cacheUpdater.TryGetBatch(64, out _, out long last));
        cacheUpdater.Advance(last);
        text = await MetricsText.ScrapeAsync(server.Registry);
        Assert.Contains("gateway_ring_occupancy{shard=\"1\"} 0\n", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_client_that_read_every_event_leaves_the_ring_unoccupied()
    {
        await using EgressTestServer server = EgressTestServer.Start(ringSize: 64);
        await using IdentifiedTestClient c = await server.IdentifyAsync();
        for (int i = 0; i < 20; i++) server.Feed.Publish("MESSAGE_CREATE", TestShardFeed.EventData(i));
        for (int i = 0; i < 20; i++) Assert.Equal("MESSAGE_CREATE", (await c.Client.ReceiveAsync()).Type);

        // The worker advances its reader after writing the batch, so the scrape may briefly still see it behind.
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        string text = await MetricsText.ScrapeAsync(server.Registry);
        while (!text.Contains("gateway_ring_occupancy{shard=\"0\"} 0\n", StringComparison.Ordinal))
        {
            Assert.False(limit.IsCancellationRequested, "occupancy never dropped to 0:\n" + text);
            await Task.Delay(10, CancellationToken.None); // a poll interval, not a synchronization
            text = await MetricsText.ScrapeAsync(server.Registry);
        }

        Assert.Contains("gateway_client_lag{shard=\"0\"} 0\n", text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0, -1, 0)]
    [InlineData(7, -1, 7)]
    [InlineData(3, 1, 8)]
    [InlineData(10_000, -1, 64)]
    public void Occupancy_is_the_larger_of_client_lag_and_gating_lag_capped_at_the_ring_size(long clientLag, long gatingAt, long expected)
    {
        var feed = new TestShardFeed(0, ringSize: 64);
        using GatingReader? gating = gatingAt >= 0 ? feed.Ring.AddGatingReader(gatingAt) : null;
        for (int i = 0; i < 10; i++) feed.Publish("TYPING_START", "{\"channel_id\":\"1\",\"guild_id\":\"1000\",\"user_id\":\"3\"}");

        Assert.Equal(expected, ProxyServer.RingOccupancy(feed, clientLag));
        Assert.Equal(0, ProxyServer.RingOccupancy(null, clientLag));
    }
}
