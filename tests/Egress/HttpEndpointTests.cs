using System.Net;
using System.Text.Json;
using GatewayProxy.Tests.Egress.Support;
using GatewayProxy.Tests.Support;
using Xunit;

namespace GatewayProxy.Tests.Egress;

/// <summary>/metrics, /health, /shard-count and refused upgrades on the client port.</summary>
public sealed class HttpEndpointTests
{
    [Theory]
    [InlineData("/?v=10&encoding=etf", "etf encoding is not supported; connect with encoding=json")]
    [InlineData("/?v=8&encoding=json", "gateway version v=8 is not supported; this proxy serves v=9 and v=10")]
    [InlineData("/?v=11", "v=11 is not supported; this proxy serves v=9 and v=10")]
    [InlineData("/?v=10&encoding=json&compress=gzip", "compress=gzip is not supported")]
    public async Task Unsupported_gateway_parameters_are_refused_at_the_upgrade_with_400_and_why(string pathAndQuery, string bodyPart)
    {
        await using EgressTestServer server = EgressTestServer.Start();
        HandshakeRejectedException refused = await Assert.ThrowsAsync<HandshakeRejectedException>(
            () => RawGatewayClient.ConnectAsync(server.Url, pathAndQuery: pathAndQuery));
        Assert.Equal(400, refused.Status);
        Assert.Contains(bodyPart, refused.Response, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Missing_v_and_encoding_and_a_trailing_slash_path_are_accepted()
    {
        await using EgressTestServer server = EgressTestServer.Start();
        await using RawGatewayClient client = await RawGatewayClient.ConnectAsync(server.Url, pathAndQuery: "/");
        Assert.Equal(10, (await client.ReceiveAsync()).Op);
    }

    [Fact]
    public async Task Shard_count_metrics_and_health_are_served()
    {
        await using EgressTestServer server = EgressTestServer.Start(total: 4, start: 2, count: 2);
        await using IdentifiedTestClient c = await server.IdentifyAsync(shard: 3);
        using var http = new HttpClient { BaseAddress = server.HttpUrl, Timeout = TimeSpan.FromSeconds(20) };

        Assert.Equal("4", await http.GetStringAsync(new Uri("/shard-count", UriKind.Relative)));

        using HttpResponseMessage metrics = await http.GetAsync(new Uri("/metrics", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, metrics.StatusCode);
        Assert.Equal("text/plain", metrics.Content.Headers.ContentType!.MediaType);
        string text = await metrics.Content.ReadAsStringAsync();
        Assert.Contains("gateway_clients{shard=\"3\"} 1", text, StringComparison.Ordinal);
        Assert.Contains("gateway_egress_bytes_total{compression=\"none\"}", text, StringComparison.Ordinal);

        using HttpResponseMessage health = await http.GetAsync(new Uri("/health", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        string body = await health.Content.ReadAsStringAsync();
        using JsonDocument document = JsonDocument.Parse(body);
        JsonElement shards = document.RootElement.GetProperty("shards");
        Assert.Equal(2, shards.GetArrayLength());
        Assert.Equal(3, shards[1].GetProperty("id").GetInt32());
        Assert.Equal("ready", shards[1].GetProperty("status").GetString());
        Assert.Equal(1, shards[1].GetProperty("clients").GetInt32());
        Assert.Equal(2, shards[1].GetProperty("guilds").GetInt32());
        Assert.DoesNotContain(c.SessionId, body, StringComparison.Ordinal);
        Assert.DoesNotContain(EgressTestServer.Token, body, StringComparison.Ordinal);

        server.Feeds[0].SetReady(false);
        using HttpResponseMessage unhealthy = await http.GetAsync(new Uri("/health", UriKind.Relative));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, unhealthy.StatusCode);
    }

    [Fact]
    public async Task A_plain_get_of_the_gateway_path_gets_426()
    {
        await using EgressTestServer server = EgressTestServer.Start();
        using var http = new HttpClient { BaseAddress = server.HttpUrl, Timeout = TimeSpan.FromSeconds(20) };
        using HttpResponseMessage response = await http.GetAsync(new Uri("/?v=10", UriKind.Relative));
        Assert.Equal(HttpStatusCode.UpgradeRequired, response.StatusCode);
    }

    [Fact]
    public async Task Shutdown_closes_clients_with_1012()
    {
        EgressTestServer server = EgressTestServer.Start();
        await using IdentifiedTestClient c = await server.IdentifyAsync();
        Task<ushort?> close = c.Client.ReceiveCloseAsync();
        await server.DisposeAsync();
        Assert.Equal((ushort)1012, await close);
    }
}
