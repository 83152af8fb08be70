using System.Text;
using GatewayProxy.Host;
using GatewayProxy.Host.Configuration;
using GatewayProxy.Host.Logging;
using GatewayProxy.Ingress;
using GatewayProxy.Simulator;
using GatewayProxy.Tests.Host.EndToEnd;
using GatewayProxy.Tests.Support;
using Xunit;

namespace GatewayProxy.Tests.Host.Security;

/// <summary>The bot token and session ids never leave the proxy through /metrics, /health or the log.</summary>
public sealed class SecretLeakTests
{
    [Fact]
    public async Task Metrics_and_health_reveal_no_token_and_no_client_or_upstream_session_id_while_clients_are_connected()
    {
        await using ProxyFixture fixture = await ProxyFixture.StartAsync();
        await using ProxyClient a = await fixture.ConnectIdentifiedAsync(0);
        await using ProxyClient b = await fixture.ConnectIdentifiedAsync(1);
        await fixture.Simulator.EmitEventsAsync(0, 5);
        await a.ReceiveDispatchesAsync(5);

        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{fixture.Proxy.LocalEndPoint.Port}"), Timeout = ProxyFixture.WaitLimit };
        string metrics = await http.GetStringAsync(new Uri("/metrics", UriKind.Relative));
        using HttpResponseMessage healthResponse = await http.GetAsync(new Uri("/health", UriKind.Relative));
        string health = await healthResponse.Content.ReadAsStringAsync();

        // The scrapes are real: they describe these two clients.
        Assert.Contains("gateway_clients{shard=\"0\"} 1", metrics, StringComparison.Ordinal);
        Assert.Contains("\"clients\":2", health, StringComparison.Ordinal);

        var secrets = new List<(string What, string Value)> { ("token", fixture.Token), ("client session a", a.SessionId), ("client session b", b.SessionId) };
        foreach (Shard shard in fixture.Proxy.Shards.Shards) secrets.Add(($"upstream session of shard {shard.Id}", shard.SessionId!));
        for (int shard = 0; shard < fixture.ShardCount; shard++)
        {
            foreach (SentDispatch sent in fixture.Simulator.GetSentDispatches(shard)) secrets.Add(("upstream session", sent.SessionId));
        }

        foreach ((string what, string value) in secrets)
        {
            Assert.False(string.IsNullOrEmpty(value), what + " is unknown");
            Assert.False(metrics.Contains(value, StringComparison.Ordinal), $"/metrics contains the {what}");
            Assert.False(health.Contains(value, StringComparison.Ordinal), $"/health contains the {what}");
        }
    }

    [Fact]
    public async Task The_token_never_appears_in_trace_logs_through_wrong_and_right_tokens_and_upstream_faults()
    {
        var output = new StringWriter();
        var log = new ProxyLog(output, output, ProxyLogLevel.Trace);
        string token;
        await using (ProxyFixture fixture = await ProxyFixture.StartAsync(o => o.Token = "Mz.sim-secret-token.for-leak-test", log: log))
        {
            token = fixture.Token;

            // A client with a wrong token, one with the right token (with and without "Bot "), and a RESUME with it.
            await using (RawGatewayClient wrong = await RawGatewayClient.ConnectAsync(fixture.ProxyUrl))
            {
                await wrong.ReceiveAsync(ProxyFixture.WaitLimit);
                await wrong.IdentifyAsync(token + "x", 0, fixture.ShardCount, 1);
                Assert.Equal((ushort)4004, await wrong.ReceiveCloseAsync(ProxyFixture.WaitLimit));
            }

            ProxyClient right = await fixture.ConnectIdentifiedAsync(0);
            await using (RawGatewayClient prefixed = await RawGatewayClient.ConnectAsync(fixture.ProxyUrl))
            {
                await prefixed.ReceiveAsync(ProxyFixture.WaitLimit);
                await prefixed.IdentifyAsync("Bot " + token, 1, fixture.ShardCount, 1);
                Assert.Equal("READY", (await prefixed.ReceiveAsync(ProxyFixture.WaitLimit)).Type);
            }

            right.Client.Abort();
            await right.DisposeAsync();
            await using (RawGatewayClient resumed = await RawGatewayClient.ConnectAsync(fixture.ProxyUrl))
            {
                await resumed.ReceiveAsync(ProxyFixture.WaitLimit);
                await resumed.ResumeAsync(token, right.SessionId, right.Guilds.Count + 1);
                await resumed.ReceiveUntilAsync(m => m.Type == "RESUMED", ProxyFixture.WaitLimit);
            }

            // Upstream faults: a drop mid-frame and a resumable close (RESUME with the token), op 9 (IDENTIFY with it again).
            int resumes = fixture.Simulator.ResumeCount;
            await fixture.Simulator.DropConnectionAsync(0, midFrame: true);
            await fixture.WaitUntilAsync(() => fixture.Simulator.ResumeCount > resumes, "a RESUME after the drop");
            await fixture.Simulator.WaitForSessionAsync(0);
            await fixture.Simulator.CloseConnectionAsync(1, 4000, "unknown error");
            await fixture.WaitUntilAsync(() => fixture.Simulator.ResumeCount > resumes + 1, "a RESUME after the close");
            int identifies = fixture.Simulator.IdentifyCount;
            await fixture.Simulator.WaitForSessionAsync(0);
            await fixture.Simulator.SendInvalidSessionAsync(0, resumable: false);
            await fixture.WaitUntilAsync(() => fixture.Simulator.IdentifyCount > identifies, "a new IDENTIFY after op 9");
        }

        string text = output.ToString();
        Assert.Contains("4004", text, StringComparison.Ordinal);
        Assert.DoesNotContain(token, text, StringComparison.Ordinal);
        Assert.DoesNotContain("sim-secret-token", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_token_never_appears_when_discord_refuses_it_or_fails_at_start()
    {
        await using DiscordSimulator simulator = await SimulatorClients.StartAsync(o => o.Token = "the-right-token-nobody-sends");
        simulator.FailGatewayBot(2, 503);
        const string token = "Mz.wrong-secret-token.for-leak-test";
        var output = new StringWriter();
        var log = new ProxyLog(output, output, ProxyLogLevel.Trace);
        string json = $$"""
            { "token": "{{token}}", "intents": 1, "bind": "127.0.0.1", "port": 7878, "log_level": "trace",
              "upstream": { "api_base_url": "{{simulator.ApiBaseUrl.ToString().TrimEnd('/')}}" } }
            """;
        ProxyConfig config = ConfigLoader.LoadFromJson(json, "test-config.json", _ => null) with { Port = 0 };
        Exception failure = await Assert.ThrowsAnyAsync<Exception>(async () =>
        {
            await using ProxyHost proxy = await ProxyHost.StartAsync(config, log, tuneIngress: o => o.RestRetryDelay = TimeSpan.FromMilliseconds(20));
        });

        // Two 503s were retried, then the 401 ended the start; neither the log nor the error shows the token.
        Assert.Equal(3, simulator.GatewayBotRequests);
        string text = output + failure.ToString() + config.ToString();
        Assert.Contains("401", text, StringComparison.Ordinal);
        Assert.DoesNotContain(token, text, StringComparison.Ordinal);
        Assert.DoesNotContain("wrong-secret-token", text, StringComparison.Ordinal);
    }
}
