using GatewayProxy.Tests.Ingress.Support;
using System.Text;
using GatewayProxy.Ingress;
using GatewayProxy.Ingress.Connection;
using GatewayProxy.Ingress.Rest;
using GatewayProxy.Protocol.Compression;
using GatewayProxy.Simulator;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit;

namespace GatewayProxy.Tests.Ingress.Rest;

public sealed class GatewayInfoTests
{
    [Fact]
    public void Gateway_bot_answer_is_parsed_with_its_session_start_limit()
    {
        byte[] body = Encoding.UTF8.GetBytes("""{"url":"wss://gateway.discord.gg","shards":9,"session_start_limit":{"total":1000,"remaining":998,"reset_after":14400000,"max_concurrency":16}}""");
        Assert.True(GatewayInfoClient.TryParse(body, out GatewayBotInfo? info, out string? reason), reason);
        Assert.Equal(new Uri("wss://gateway.discord.gg"), info.Url);
        Assert.Equal(9, info.Shards);
        Assert.Equal(new SessionStartLimit(1000, 998, TimeSpan.FromHours(4), 16), info.SessionStartLimit);
    }

    [Theory]
    [InlineData("""{"shards":1}""", "url")]
    [InlineData("""{"url":"https://x","shards":1}""", "url")]
    [InlineData("""{"url":"wss://x","shards":0}""", "shards")]
    [InlineData("""[1]""", "object")]
    [InlineData("""{"url":""", "JSON")]
    public void A_malformed_answer_is_refused_with_a_reason(string json, string mentions)
    {
        Assert.False(GatewayInfoClient.TryParse(Encoding.UTF8.GetBytes(json), out _, out string? reason));
        Assert.Contains(mentions, reason, StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [InlineData("127.0.0.1:3000", "http://127.0.0.1:3000/api/v10")]
    [InlineData("proxy.local:80/", "http://proxy.local/api/v10")]
    public void Twilight_http_proxy_becomes_an_api_base(string setting, string expected)
    {
        Assert.Equal(new Uri(expected), GatewayInfoClient.ApiBaseFromHttpProxy(setting));
    }

    [Theory]
    [InlineData("wss://gateway.discord.gg", TransportCompression.ZlibStream, "wss://gateway.discord.gg/?v=10&encoding=json&compress=zlib-stream")]
    [InlineData("wss://gateway-us-east1-b.discord.gg", TransportCompression.None, "wss://gateway-us-east1-b.discord.gg/?v=10&encoding=json")]
    [InlineData("ws://127.0.0.1:5000/?v=9", TransportCompression.ZstdStream, "ws://127.0.0.1:5000/?v=10&encoding=json&compress=zstd-stream")]
    public void The_connect_url_carries_version_encoding_and_compression(string baseUrl, TransportCompression compression, string expected)
    {
        Assert.Equal(expected, GatewayUrl.Build(new Uri(baseUrl), compression).AbsoluteUri);
    }

    [Fact]
    public async Task A_rejected_token_fails_at_once_saying_so()
    {
        await using DiscordSimulator simulator = await DiscordSimulator.StartAsync(IngressTestKit.SimulatorDefaults());
        IngressOptions options = IngressTestKit.OptionsFor(simulator);
        options.Token = "wrong";
        GatewayInfoException e = await Assert.ThrowsAsync<GatewayInfoException>(() => ShardManager.StartAsync(options, NullLogger.Instance, CancellationToken.None));
        Assert.Contains("Discord rejected the token", e.Message, StringComparison.Ordinal);
        Assert.True(e.IsPermanent);
    }

    [Fact]
    public async Task A_network_failure_is_retried_then_reported()
    {
        // A port nothing listens on: bind one, note it, close it.
        var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        int port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        var logger = new CountingLogger();
        using var http = new HttpClient();
        var client = new GatewayInfoClient(http, new Uri($"http://127.0.0.1:{port}/api/v10"), "token", logger)
        {
            MaxAttempts = 3,
            RetryBaseDelay = TimeSpan.FromMilliseconds(10),
        };
        GatewayInfoException e = await Assert.ThrowsAsync<GatewayInfoException>(() => client.GetGatewayBotAsync(CancellationToken.None));
        Assert.Contains("after 3 attempts", e.Message, StringComparison.Ordinal);
        Assert.Contains("cannot reach", e.Message, StringComparison.Ordinal);
        Assert.Equal(2, logger.Warnings);
    }

    private sealed class CountingLogger : Microsoft.Extensions.Logging.ILogger
    {
        public int Warnings;

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(Microsoft.Extensions.Logging.LogLevel logLevel) => true;

        public void Log<TState>(Microsoft.Extensions.Logging.LogLevel logLevel, Microsoft.Extensions.Logging.EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (logLevel == Microsoft.Extensions.Logging.LogLevel.Warning)
            {
                Interlocked.Increment(ref Warnings);
            }
        }
    }
}
