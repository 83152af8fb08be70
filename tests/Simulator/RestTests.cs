using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using GatewayProxy.Tests.Support;
using Xunit;

namespace GatewayProxy.Tests.Simulator;

/// <summary>The REST endpoints: /gateway, /gateway/bot (auth, shards, session_start_limit), Discord's error bodies.</summary>
public sealed class RestTests
{
    [Fact]
    public async Task Gateway_returns_a_bare_url()
    {
        await using var simulator = await SimulatorClients.StartAsync();
        using var http = new HttpClient();
        using var doc = JsonDocument.Parse(await http.GetStringAsync(new Uri(simulator.ApiBaseUrl + "/gateway")));
        Assert.Equal($"ws://127.0.0.1:{simulator.Port}", doc.RootElement.GetProperty("url").GetString());
    }

    [Theory]
    [InlineData(null)]
    [InlineData("sim-token")]
    [InlineData("Bot wrong")]
    [InlineData("Bearer sim-token")]
    public async Task Gateway_bot_without_the_bot_token_is_401_with_discords_body(string? authorization)
    {
        await using var simulator = await SimulatorClients.StartAsync();
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, simulator.ApiBaseUrl + "/gateway/bot");
        if (authorization is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", authorization);
        }

        using var response = await http.SendAsync(request);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("401: Unauthorized", doc.RootElement.GetProperty("message").GetString());
        Assert.Equal(0, doc.RootElement.GetProperty("code").GetInt32());
    }

    [Fact]
    public async Task Gateway_bot_returns_shards_and_session_start_limit()
    {
        await using var simulator = await SimulatorClients.StartAsync(o => { o.ShardCount = 3; o.MaxConcurrency = 2; o.SessionStartLimit = 50; });
        using var http = new HttpClient();
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bot", simulator.Options.Token);

        // Keep-alive: both requests may share one connection.
        for (var i = 0; i < 2; i++)
        {
            using var doc = JsonDocument.Parse(await http.GetStringAsync(new Uri(simulator.ApiBaseUrl + "/gateway/bot")));
            var root = doc.RootElement;
            Assert.Equal($"ws://127.0.0.1:{simulator.Port}", root.GetProperty("url").GetString());
            Assert.Equal(3, root.GetProperty("shards").GetInt32());
            var limit = root.GetProperty("session_start_limit");
            Assert.Equal(50, limit.GetProperty("total").GetInt32());
            Assert.Equal(50, limit.GetProperty("remaining").GetInt32());
            Assert.Equal(2, limit.GetProperty("max_concurrency").GetInt32());
            Assert.InRange(limit.GetProperty("reset_after").GetInt64(), 1, 86_400_000);
        }
    }

    [Fact]
    public async Task Unknown_path_is_404_with_discords_body()
    {
        await using var simulator = await SimulatorClients.StartAsync();
        using var http = new HttpClient();
        using var response = await http.GetAsync(new Uri(simulator.ApiBaseUrl + "/users/@me"));
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("404: Not Found", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
