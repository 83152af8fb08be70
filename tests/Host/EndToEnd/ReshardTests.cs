using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using GatewayProxy.Egress;
using GatewayProxy.Simulator;
using GatewayProxy.Tests.Support;
using Prometheus;
using Xunit;

namespace GatewayProxy.Tests.Host.EndToEnd;

/// <summary>Resharding without downtime against the Simulator (docs/operations.md, "Virtual shards and resharding"). A
/// Simulator hosts one shard count, so the 4-shard layout Discord would move the bot to is a second Simulator with the
/// same token; the new shard set is pointed at it.</summary>
public sealed class ReshardTests
{
    private const string AdminToken = "admin-token-0123456789";

    [Fact]
    public async Task Reshard_from_2_to_4_under_live_load_switches_clients_with_op_7_and_ends_the_old_sessions()
    {
        await using ProxyFixture fixture = await ProxyFixture.StartAsync(o => o.GuildCount = 8, tuneEgress: AdminOnOwnPort);
        await using DiscordSimulator next = await SimulatorClients.StartAsync(o =>
        {
            o.ShardCount = 4;
            o.GuildCount = 16;
            o.Token = fixture.Token;
        });
        fixture.Proxy.Resharder.TuneSuccessor = o => o.ApiBaseUrl = new Uri(next.ApiBaseUrl.ToString().TrimEnd('/'));
        // No client is closed for being slow to reconnect: the test reconnects them when it chooses.
        fixture.Proxy.Resharder.DrainTimeout = TimeSpan.FromMinutes(10);

        (int Index, int Count)[] layout = [(0, 1), (0, 2), (1, 2), (0, 4), (1, 4), (2, 4), (3, 4)];
        var clients = new List<ProxyClient>();
        try
        {
            foreach ((int i, int n) in layout) clients.Add(await ProxyFixture.ConnectIdentifiedAsync(fixture.ProxyUrl, fixture.Token, i, n));

            using HttpClient http = AdminClient(fixture, AdminToken);
            HttpResponseMessage started = await http.PostAsync("/admin/reshard?shards=4", null);
            string startedBody = await started.Content.ReadAsStringAsync();
            Assert.True(started.StatusCode == HttpStatusCode.Accepted, startedBody);
            Assert.Contains("resharding from 2 to 4", startedBody, StringComparison.Ordinal);

            // In progress until every client has left the old set (they are still connected here): /health and metrics say so.
            using (JsonDocument health = await GetJsonAsync(fixture, "/health"))
            {
                JsonElement reshard = health.RootElement.GetProperty("reshard");
                Assert.Equal(2, reshard.GetProperty("from").GetInt32());
                Assert.Equal(4, reshard.GetProperty("to").GetInt32());
            }

            Assert.Contains("gateway_reshard_in_progress 1", await MetricsAsync(fixture), StringComparison.Ordinal);

            // Live load on the old set while the new one connects.
            await fixture.Simulator.EmitEventsAsync(0, 20);
            await fixture.Simulator.EmitEventsAsync(1, 20);

            for (int c = 0; c < clients.Count; c++)
            {
                (int i, int n) = layout[c];
                ProxyClient old = clients[c];
                // Whatever the old set relayed before op 7 keeps the client's sequence +1.
                long seq = old.Guilds.Count + 1;
                GatewayMessage message;
                while ((message = await old.Client.ReceiveAsync(ProxyFixture.WaitLimit)).Op != 7)
                {
                    if (message.Op == 0) Assert.Equal(++seq, message.Seq);
                }

                // As a library does after op 7: close, reconnect, RESUME; the session belongs to the old set, so op 9 d:false.
                await old.Client.CloseAsync(4000, "reconnect");
                await old.DisposeAsync();
                RawGatewayClient socket = await RawGatewayClient.ConnectAsync(fixture.ProxyUrl);
                Assert.Equal(10, (await socket.ReceiveAsync(ProxyFixture.WaitLimit)).Op);
                await socket.ResumeAsync(fixture.Token, old.SessionId, seq);
                GatewayMessage invalid = await socket.ReceiveAsync(ProxyFixture.WaitLimit);
                Assert.Equal(9, invalid.Op);
                Assert.Equal(JsonValueKind.False, invalid.Data.ValueKind);

                // IDENTIFY again, same [i, n]: served from the new set at once, with exactly its guilds.
                clients[c] = await IdentifyAsync(socket, fixture.Token, i, n);
                var expected = AllGuilds(next).Where(g => (int)((g >> 22) % (ulong)n) == i).Order().ToList();
                Assert.Equal(expected, VirtualShardTests.ReadyGuilds(clients[c]).Order().ToList());
                Assert.Equal(expected, clients[c].Guilds.Select(m => ulong.Parse(m.Data.GetProperty("id").GetString()!, CultureInfo.InvariantCulture)).Order().ToList());
            }

            await fixture.Proxy.Resharder.Completion.WaitAsync(ProxyFixture.WaitLimit);
            Assert.Equal(4, fixture.Proxy.Shards.TotalShards);

            // Live events on the new set: each client gets exactly its own, once, seq +1.
            int[] before = Enumerable.Range(0, 4).Select(s => next.GetSentDispatches(s).Count).ToArray();
            for (int s = 0; s < 4; s++) await next.EmitEventsAsync(s, 15);
            await fixture.WaitUntilAsync(() => Enumerable.Range(0, 4).All(s => next.GetSentDispatches(s).Count >= before[s] + 15), "the new set's events");
            var sent = Enumerable.Range(0, 4).Select(s => next.GetSentDispatches(s).Skip(before[s]).ToList()).ToArray();
            for (int c = 0; c < clients.Count; c++)
            {
                (int i, int n) = layout[c];
                var expected = new List<SentDispatch>();
                for (int s = 0; s < 4; s++)
                {
                    foreach (SentDispatch d in sent[s])
                    {
                        ulong guild = VirtualShardTests.GuildOf(d);
                        bool mine = n == 4 ? s == i : guild != 0 ? (int)((guild >> 22) % (ulong)n) == i : i == 0 && s == 0;
                        if (mine) expected.Add(d);
                    }
                }

                List<GatewayMessage> got = await clients[c].ReceiveDispatchesAsync(expected.Count);
                long first = clients[c].Guilds.Count + 2;
                Assert.Equal(Enumerable.Range(0, got.Count).Select(k => (long?)(first + k)), got.Select(m => m.Seq));
                Assert.Equal(expected.Select(d => VirtualShardTests.Unsequenced(d.Payload)).Order(StringComparer.Ordinal),
                    got.Select(m => VirtualShardTests.Unsequenced(m.Json)).Order(StringComparer.Ordinal));
            }

            // The new layout saw exactly its 4 IDENTIFYs and nothing but heartbeats besides; the old one nothing but its first 2.
            Assert.Equal([0, 1, 2, 3], next.GetIdentifyAttempts().Select(a => a.Shard).Order());
            Assert.All(next.GetIdentifyAttempts(), a => Assert.True(a.Accepted));
            Assert.All(next.GetReceivedCommands(), c => Assert.True(c.Op is 1 or 2, $"unexpected op {c.Op} at the new layout"));
            Assert.Equal(2, fixture.Simulator.GetIdentifyAttempts().Count);
            Assert.DoesNotContain(fixture.Simulator.GetReceivedCommands(), c => c.Op == 6);

            // The old sessions are ended (closed with 1000, not kept for a resume).
            await fixture.WaitUntilAsync(() => fixture.Simulator.SessionCount(0) == 0 && fixture.Simulator.SessionCount(1) == 0, "the old sessions to end");
            using (JsonDocument health = await GetJsonAsync(fixture, "/health"))
            {
                Assert.Equal(JsonValueKind.Null, health.RootElement.GetProperty("reshard").ValueKind);
                Assert.Equal(4, health.RootElement.GetProperty("total_shards").GetInt32());
            }

            string metrics = await MetricsAsync(fixture);
            Assert.Contains("gateway_reshard_in_progress 0", metrics, StringComparison.Ordinal);
            Assert.Contains("gateway_reshards_total{result=\"completed\"} 1", metrics, StringComparison.Ordinal);
            // The old set stopping does not leave its shard ids' status at "stopped" for the new set's shards 0 and 1.
            for (int s = 0; s < 4; s++) Assert.Contains($"gateway_shard_status{{shard=\"{s}\"}} 5", metrics, StringComparison.Ordinal);
        }
        finally
        {
            foreach (ProxyClient client in clients) await client.DisposeAsync();
        }
    }

    [Fact]
    public async Task Auto_reshard_follows_the_recommended_shard_count_once_it_passes_the_current_one()
    {
        await using ProxyFixture fixture = await ProxyFixture.StartAsync();
        await using DiscordSimulator next = await SimulatorClients.StartAsync(o =>
        {
            o.ShardCount = 4;
            o.Token = fixture.Token;
        });
        fixture.Proxy.Resharder.TuneSuccessor = o => o.ApiBaseUrl = new Uri(next.ApiBaseUrl.ToString().TrimEnd('/'));
        fixture.Proxy.Resharder.StartAutoReshard(TimeSpan.FromMilliseconds(20));

        await fixture.WaitUntilAsync(() => fixture.Proxy.Shards.TotalShards == 4, "the proxy to run 4 shards");
        await fixture.Proxy.Resharder.Completion.WaitAsync(ProxyFixture.WaitLimit);
        await fixture.WaitUntilAsync(() => fixture.Simulator.SessionCount(0) == 0 && fixture.Simulator.SessionCount(1) == 0, "the old sessions to end");
        // Discord now recommends what runs: the checks that follow start nothing more.
        int gatewayReads = next.GatewayBotRequests;
        await fixture.WaitUntilAsync(() => next.GatewayBotRequests >= gatewayReads + 3, "three more checks");
        Assert.Equal([0, 1, 2, 3], next.GetIdentifyAttempts().Select(a => a.Shard).Order());
        Assert.Equal(4, fixture.Proxy.Shards.TotalShards);
        ProxyClient client = await ProxyFixture.ConnectIdentifiedAsync(fixture.ProxyUrl, fixture.Token, 0, 1);
        await using (client)
        {
            Assert.Equal(next.State.GuildCount, client.Guilds.Count);
        }
    }

    [Fact]
    public async Task Reshard_is_refused_with_422_when_the_identify_budget_is_too_low()
    {
        await using ProxyFixture fixture = await ProxyFixture.StartAsync(tuneEgress: AdminOnOwnPort);
        await using DiscordSimulator next = await SimulatorClients.StartAsync(o =>
        {
            o.ShardCount = 4;
            o.Token = fixture.Token;
            o.SessionStartLimit = 3;
        });
        fixture.Proxy.Resharder.TuneSuccessor = o => o.ApiBaseUrl = new Uri(next.ApiBaseUrl.ToString().TrimEnd('/'));

        using HttpClient http = AdminClient(fixture, AdminToken);
        HttpResponseMessage refused = await http.PostAsync("/admin/reshard?shards=4", null);
        string body = await refused.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.UnprocessableEntity, refused.StatusCode);
        Assert.Contains("identify budget too low: session_start_limit.remaining is 3, and 4 shards need 4 IDENTIFYs", body, StringComparison.Ordinal);
        Assert.Equal(0, next.IdentifyCount);
        Assert.Equal(2, fixture.Proxy.Shards.TotalShards);
        Assert.Contains("gateway_reshards_total{result=\"refused\"} 1", await MetricsAsync(fixture), StringComparison.Ordinal);
        using JsonDocument health = await GetJsonAsync(fixture, "/health");
        Assert.Equal(JsonValueKind.Null, health.RootElement.GetProperty("reshard").ValueKind);
    }

    [Fact]
    public async Task Reshard_needs_the_admin_token_and_the_admin_address()
    {
        await using ProxyFixture fixture = await ProxyFixture.StartAsync(tuneEgress: AdminOnOwnPort);

        // The client port never serves admin when an admin address is configured, even with the right token.
        using (var clientPort = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{fixture.Proxy.LocalEndPoint.Port}") })
        {
            clientPort.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", AdminToken);
            HttpResponseMessage response = await clientPort.PostAsync("/admin/reshard?shards=4", null);
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
            Assert.Contains("admin address", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        foreach (string? token in new[] { null, "wrong-token-0123456789", fixture.Token })
        {
            using HttpClient admin = AdminClient(fixture, token);
            HttpResponseMessage response = await admin.PostAsync("/admin/reshard?shards=4", null);
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
            Assert.Contains("Authorization: Bearer", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        Assert.Equal(2, fixture.Proxy.Shards.TotalShards);
        Assert.Equal(2, fixture.Simulator.IdentifyCount);
        string metrics = await MetricsAsync(fixture);
        Assert.Contains("gateway_reshards_total{result=\"refused\"} 0", metrics, StringComparison.Ordinal);
        Assert.Contains("gateway_reshards_total{result=\"completed\"} 0", metrics, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Admin_endpoints_are_disabled_unless_configured_and_take_the_token_on_the_client_port_when_no_address_is_set()
    {
        await using (ProxyFixture plain = await ProxyFixture.StartAsync())
        {
            using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{plain.Proxy.LocalEndPoint.Port}") };
            HttpResponseMessage response = await http.PostAsync("/admin/reshard?shards=4", null);
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
            Assert.Contains("admin endpoints are disabled", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        await using ProxyFixture fixture = await ProxyFixture.StartAsync(extraConfig: $$""", "admin": { "token": "{{AdminToken}}" }""");
        using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{fixture.Proxy.LocalEndPoint.Port}") };
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/admin/reshard")).StatusCode);
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", AdminToken);
        HttpResponseMessage status = await client.GetAsync("/admin/reshard");
        Assert.Equal(HttpStatusCode.OK, status.StatusCode);
        Assert.Contains("no reshard in progress; 2 upstream shards", await status.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        HttpResponseMessage bad = await client.PostAsync("/admin/reshard?shards=x", null);
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        HttpResponseMessage same = await client.PostAsync("/admin/reshard?shards=2", null);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, same.StatusCode);
        Assert.Contains("already runs 2 upstream shards", await same.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    private static void AdminOnOwnPort(EgressOptions o)
    {
        o.AdminToken = AdminToken;
        o.AdminEndPoint = new IPEndPoint(IPAddress.Loopback, 0);
    }

    private static HttpClient AdminClient(ProxyFixture fixture, string? token)
    {
        var http = new HttpClient { BaseAddress = new Uri($"http://{fixture.Proxy.Server.AdminEndPoint}") };
        if (token is not null) http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return http;
    }

    private static async Task<JsonDocument> GetJsonAsync(ProxyFixture fixture, string path)
    {
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{fixture.Proxy.LocalEndPoint.Port}") };
        return JsonDocument.Parse(await http.GetStringAsync(path));
    }

    private static async Task<string> MetricsAsync(ProxyFixture fixture)
    {
        using var stream = new MemoryStream();
        await fixture.Proxy.Metrics.CollectAndExportAsTextAsync(stream);
        return System.Text.Encoding.UTF8.GetString(stream.ToArray());
    }

    private static List<ulong> AllGuilds(DiscordSimulator simulator)
    {
        var all = new List<ulong>();
        for (int s = 0; s < simulator.Options.ShardCount; s++)
        {
            all.AddRange(simulator.State.GetGuildIds(s).Select(id => ulong.Parse(id, CultureInfo.InvariantCulture)));
        }

        return all;
    }

    /// <summary>IDENTIFY on an open socket, then READY and every guild answer.</summary>
    private static async Task<ProxyClient> IdentifyAsync(RawGatewayClient client, string token, int shard, int shardCount)
    {
        await client.IdentifyAsync(token, shard, shardCount, SimulatorClients.AllUsefulIntents);
        GatewayMessage ready = await client.ReceiveAsync(ProxyFixture.WaitLimit);
        Assert.True(ready.Type == "READY", $"expected READY, got {ready}");
        int guilds = ready.Data.GetProperty("guilds").GetArrayLength();
        var answers = new List<GatewayMessage>();
        while (answers.Count < guilds)
        {
            GatewayMessage message = await client.ReceiveAsync(ProxyFixture.WaitLimit);
            Assert.True(message.Type is "GUILD_CREATE" or "GUILD_DELETE", $"expected a guild answer, got {message}");
            answers.Add(message);
        }

        return new ProxyClient(client, ready, answers);
    }
}
