using System.Net.Http.Headers;
using System.Text.Json;
using GatewayProxy.Simulator;
using GatewayProxy.Tests.Support;
using Xunit;

namespace GatewayProxy.Tests.Simulator;

/// <summary>Identify concurrency buckets and session_start_limit, asserted by order and responses (never by elapsed time).</summary>
public sealed class IdentifyLimitTests
{
    private static async Task<GatewayMessage> IdentifyAsync(DiscordSimulator simulator, RawGatewayClient client, int shard)
    {
        await client.IdentifyAsync(simulator.Options.Token, shard, simulator.Options.ShardCount, 1);
        return await client.ReceiveAsync();
    }

    private static async Task<RawGatewayClient> ConnectAsync(DiscordSimulator simulator)
    {
        var client = await RawGatewayClient.ConnectAsync(simulator.GatewayUrl);
        Assert.Equal(10, (await client.ReceiveAsync()).Op);
        return client;
    }

    [Fact]
    public async Task Second_identify_in_the_same_bucket_within_the_interval_gets_invalid_session()
    {
        // A long interval: the second IDENTIFY is inside it however slow the machine is.
        await using var simulator = await SimulatorClients.StartAsync(o => { o.MaxConcurrency = 1; o.IdentifyInterval = TimeSpan.FromMinutes(5); });
        await using var a = await ConnectAsync(simulator);
        await using var b = await ConnectAsync(simulator);
        Assert.Equal("READY", (await IdentifyAsync(simulator, a, 0)).Type);
        var refused = await IdentifyAsync(simulator, b, 1);
        Assert.Equal(9, refused.Op);
        Assert.False(refused.Data.GetBoolean());
        Assert.Equal(1, simulator.IdentifyCount);
    }

    [Fact]
    public async Task Shards_in_different_buckets_identify_together()
    {
        await using var simulator = await SimulatorClients.StartAsync(o => { o.ShardCount = 4; o.MaxConcurrency = 2; o.IdentifyInterval = TimeSpan.FromMinutes(5); });
        var results = new List<string?>();
        var clients = new List<RawGatewayClient>();
        try
        {
            // Buckets: shard % 2. Shards 0 and 1 use both buckets; 2 and 3 then find them busy.
            foreach (var shard in new[] { 0, 1, 2, 3 })
            {
                var client = await ConnectAsync(simulator);
                clients.Add(client);
                var answer = await IdentifyAsync(simulator, client, shard);
                results.Add(answer.Type ?? $"op{answer.Op}");
            }
        }
        finally
        {
            foreach (var client in clients)
            {
                await client.DisposeAsync();
            }
        }

        Assert.Equal(["READY", "READY", "op9", "op9"], results);
    }

    [Fact]
    public async Task Refused_identify_succeeds_once_the_bucket_interval_has_passed()
    {
        var interval = TimeSpan.FromMilliseconds(300);
        await using var simulator = await SimulatorClients.StartAsync(o => { o.MaxConcurrency = 1; o.IdentifyInterval = interval; });
        await using var a = await ConnectAsync(simulator);
        await using var b = await ConnectAsync(simulator);
        Assert.Equal("READY", (await IdentifyAsync(simulator, a, 0)).Type);

        // Retry as a client library would: wait the interval after each refusal (bounded attempts).
        var answers = new List<int>();
        for (var attempt = 0; attempt < 20; attempt++)
        {
            var answer = await IdentifyAsync(simulator, b, 1);
            answers.Add(answer.Op);
            if (answer.Type == "READY")
            {
                break;
            }

            await Task.Delay(interval);
        }

        Assert.Equal(0, answers[^1]);
        Assert.All(answers[..^1], op => Assert.Equal(9, op));
        Assert.Equal(2, simulator.IdentifyCount);

        // Identifies were received in order, each accepted one for its shard.
        var identifies = simulator.GetReceivedCommands().Where(c => c.Op == 2).ToList();
        Assert.Equal(0, identifies[0].Shard);
        Assert.All(identifies.Skip(1), c => Assert.Equal(1, c.Shard));
        Assert.True(identifies.Zip(identifies.Skip(1)).All(p => p.First.Order < p.Second.Order));
    }

    [Fact]
    public async Task Session_start_limit_counts_down_and_refuses_identifies_over_it()
    {
        await using var simulator = await SimulatorClients.StartAsync(o => o.SessionStartLimit = 2);
        using var http = new HttpClient();
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bot", simulator.Options.Token);
        async Task<int> Remaining()
        {
            using var doc = JsonDocument.Parse(await http.GetStringAsync(new Uri(simulator.ApiBaseUrl + "/gateway/bot")));
            return doc.RootElement.GetProperty("session_start_limit").GetProperty("remaining").GetInt32();
        }

        Assert.Equal(2, await Remaining());
        await using var a = await ConnectAsync(simulator);
        Assert.Equal("READY", (await IdentifyAsync(simulator, a, 0)).Type);
        Assert.Equal(1, await Remaining());
        await using var b = await ConnectAsync(simulator);
        Assert.Equal("READY", (await IdentifyAsync(simulator, b, 1)).Type);
        Assert.Equal(0, await Remaining());
        await using var c = await ConnectAsync(simulator);
        var refused = await IdentifyAsync(simulator, c, 0);
        Assert.Equal(9, refused.Op);
        Assert.Equal(2, simulator.IdentifyCount);

        // Resumes are free.
        var seq = a.LastSeq!.Value;
        var sessionId = simulator.GetSentDispatches(0)[0].SessionId;
        a.Abort();
        await using var d = await ConnectAsync(simulator);
        await d.ResumeAsync(simulator.Options.Token, sessionId, seq);
        Assert.Equal("RESUMED", (await d.ReceiveUntilAsync(m => m.Type == "RESUMED")).Match.Type);
    }
}
