using System.Net;
using GatewayProxy.Simulator;
using GatewayProxy.Tests.Support;
using Xunit;

namespace GatewayProxy.Tests.Simulator;

/// <summary>The simulator's twilight-compatible identify queue (<c>/queue?shard=N</c>), asserted by order, never by elapsed time.</summary>
public sealed class IdentifyQueueTests
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(60);

    private static Uri QueueUrl(DiscordSimulator simulator, int shard) => new(simulator.IdentifyQueueUrl + "?shard=" + shard);

    [Fact]
    public async Task A_bucket_grants_its_next_shard_only_after_the_previous_identify_and_its_window()
    {
        // A long hold: shard 1 can only be granted because shard 0's IDENTIFY arrived.
        await using var simulator = await SimulatorClients.StartAsync(o =>
        {
            o.MaxConcurrency = 1;
            o.IdentifyInterval = TimeSpan.FromMilliseconds(200);
            o.IdentifyQueueHold = TimeSpan.FromMinutes(5);
        });
        using var http = new HttpClient();

        using HttpResponseMessage first = await http.GetAsync(QueueUrl(simulator, 0)).WaitAsync(Limit);
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Task<HttpResponseMessage> second = http.GetAsync(QueueUrl(simulator, 1));
        Assert.Single(simulator.GetQueueGrants()); // shard 1 waits for shard 0's IDENTIFY (the hold is minutes)
        await using (var shard0 = await SimulatorClients.ConnectIdentifiedAsync(simulator, 0))
        {
            using HttpResponseMessage granted = await second.WaitAsync(Limit);
            Assert.Equal(HttpStatusCode.OK, granted.StatusCode);
            await using var shard1 = await SimulatorClients.ConnectIdentifiedAsync(simulator, 1);
        }

        IReadOnlyList<QueueGrantRecord> grants = simulator.GetQueueGrants();
        IReadOnlyList<IdentifyRecord> identifies = simulator.GetIdentifyAttempts();
        Assert.Equal([0, 1], grants.Select(g => g.Shard));
        Assert.Equal([0, 1], identifies.Select(i => i.Shard));
        Assert.True(grants[0].Order < identifies[0].Order && identifies[0].Order < grants[1].Order && grants[1].Order < identifies[1].Order,
            "grant 0, IDENTIFY 0, grant 1, IDENTIFY 1");
        Assert.True(grants[1].Time - identifies[0].Time >= TimeSpan.FromMilliseconds(150), "the window counts from shard 0's IDENTIFY");
        Assert.Equal(0, simulator.IdentifyRateLimitViolations);
        Assert.All(identifies, i => Assert.True(i.Accepted));
    }

    [Fact]
    public async Task Shards_of_different_buckets_are_granted_independently()
    {
        await using var simulator = await SimulatorClients.StartAsync(o =>
        {
            o.ShardCount = 4;
            o.MaxConcurrency = 2;
            o.IdentifyInterval = TimeSpan.FromMinutes(5);
            o.IdentifyQueueHold = TimeSpan.FromMinutes(5);
        });
        using var http = new HttpClient();

        using HttpResponseMessage a = await http.GetAsync(QueueUrl(simulator, 2)).WaitAsync(Limit);
        using HttpResponseMessage b = await http.GetAsync(QueueUrl(simulator, 1)).WaitAsync(Limit);

        Assert.Equal(HttpStatusCode.OK, a.StatusCode);
        Assert.Equal(HttpStatusCode.OK, b.StatusCode);
        Assert.Equal([2, 1], simulator.GetQueueGrants().Select(g => g.Shard));
    }

    [Theory]
    [InlineData("")]
    [InlineData("?shard=x")]
    [InlineData("?shard=9")]
    public async Task A_missing_or_out_of_range_shard_is_400(string query)
    {
        await using var simulator = await SimulatorClients.StartAsync();
        using var http = new HttpClient();

        using HttpResponseMessage response = await http.GetAsync(new Uri(simulator.IdentifyQueueUrl + query)).WaitAsync(Limit);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("shard must be 0..1", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Empty(simulator.GetQueueGrants());
    }

    [Fact]
    public async Task An_identify_that_breaks_the_bucket_window_is_counted_as_a_violation()
    {
        await using var simulator = await SimulatorClients.StartAsync(o => { o.MaxConcurrency = 1; o.IdentifyInterval = TimeSpan.FromMinutes(5); });
        await using var first = await SimulatorClients.ConnectIdentifiedAsync(simulator, 0);
        await using var client = await RawGatewayClient.ConnectAsync(simulator.GatewayUrl);
        Assert.Equal(10, (await client.ReceiveAsync()).Op);

        await client.IdentifyAsync(simulator.Options.Token, 1, simulator.Options.ShardCount, 1);
        Assert.Equal(9, (await client.ReceiveAsync()).Op);

        Assert.Equal(1, simulator.IdentifyRateLimitViolations);
        IdentifyRecord refused = simulator.GetIdentifyAttempts()[1];
        Assert.False(refused.Accepted);
        Assert.Contains("bucket 0", refused.Refusal, StringComparison.Ordinal);
    }
}
