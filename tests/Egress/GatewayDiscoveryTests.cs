using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using GatewayProxy.Egress.Http;
using GatewayProxy.Tests.Egress.Support;
using Xunit;

namespace GatewayProxy.Tests.Egress;

/// <summary>REST gateway discovery answered by the proxy: <c>GET /api[/vN]/gateway</c> and <c>/gateway/bot</c>.</summary>
public sealed class GatewayDiscoveryTests
{
    [Theory]
    [InlineData("/api/v10/gateway/bot")]
    [InlineData("/api/v6/gateway/bot/")]
    [InlineData("/api/gateway/bot")]
    public async Task Gateway_bot_gives_the_proxy_url_the_total_shard_count_and_sane_identify_limits(string path)
    {
        await using EgressTestServer server = EgressTestServer.Start(total: 4, start: 2, count: 2);
        using HttpClient http = Client(server, "Bot " + EgressTestServer.Token);
        using HttpResponseMessage response = await http.GetAsync(new Uri(path, UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType!.MediaType);

        using JsonDocument document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        JsonElement root = document.RootElement;
        Assert.Equal($"ws://127.0.0.1:{server.Server.LocalEndPoint.Port}", root.GetProperty("url").GetString());
        Assert.Equal(4, root.GetProperty("shards").GetInt32());
        JsonElement limit = root.GetProperty("session_start_limit");
        Assert.True(limit.GetProperty("total").GetInt32() >= limit.GetProperty("remaining").GetInt32());
        Assert.True(limit.GetProperty("remaining").GetInt32() > 0);
        Assert.True(limit.GetProperty("reset_after").GetInt64() >= 0);
        Assert.True(limit.GetProperty("max_concurrency").GetInt32() >= 1);
    }

    [Theory]
    [InlineData("/api/v10/gateway")]
    [InlineData("/api/v9/gateway")]
    [InlineData("/api/gateway")]
    public async Task Gateway_gives_the_externally_accessible_url_without_a_token(string path)
    {
        await using EgressTestServer server = EgressTestServer.Start(o => o.ExternallyAccessibleUrl = "wss://gateway.example.org/?v=10");
        using HttpClient http = Client(server, authorization: null);
        using HttpResponseMessage response = await http.GetAsync(new Uri(path, UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using JsonDocument document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("wss://gateway.example.org", document.RootElement.GetProperty("url").GetString());
        Assert.False(document.RootElement.TryGetProperty("shards", out _));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("Bot wrong-token")]
    public async Task Gateway_bot_with_a_wrong_or_missing_token_gets_401_when_tokens_are_validated(string? authorization)
    {
        await using EgressTestServer server = EgressTestServer.Start();
        using HttpClient http = Client(server, authorization);
        using HttpResponseMessage response = await http.GetAsync(new Uri("/api/v10/gateway/bot", UriKind.Relative));
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task Gateway_bot_needs_no_token_when_tokens_are_not_validated()
    {
        await using EgressTestServer server = EgressTestServer.Start(o => o.ValidateToken = false);
        using HttpClient http = Client(server, authorization: null);
        using HttpResponseMessage response = await http.GetAsync(new Uri("/api/v10/gateway/bot", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Theory]
    [InlineData("/api/v10/gateway", true, false)]
    [InlineData("/api/v10/gateway/bot", true, true)]
    [InlineData("/api/gateway/bot", true, true)]
    [InlineData("/api/v5/gateway", false, false)]
    [InlineData("/api/v11/gateway/bot", false, false)]
    [InlineData("/api/vx/gateway", false, false)]
    [InlineData("/api/v10/gateway/bots", false, false)]
    [InlineData("/api/v10/users/@me", false, false)]
    [InlineData("/gateway/bot", false, false)]
    public void Only_the_discovery_paths_of_versions_6_to_10_match(string path, bool matches, bool bot)
    {
        Assert.Equal(matches, GatewayDiscovery.TryMatch(path, out bool isBot));
        Assert.Equal(bot, isBot);
    }

    private static HttpClient Client(EgressTestServer server, string? authorization)
    {
        var http = new HttpClient { BaseAddress = server.HttpUrl, Timeout = TimeSpan.FromSeconds(30) };
        if (authorization is not null) http.DefaultRequestHeaders.Authorization = AuthenticationHeaderValue.Parse(authorization);
        return http;
    }
}
