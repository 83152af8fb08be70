using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using GatewayProxy.Simulator;
using GatewayProxy.Tests.Support;
using GatewayProxy.Tooling;
using Xunit;

namespace GatewayProxy.Tests.Host;

/// <summary>
/// Two real proxy processes share one 4-shard bot: [0, 2) and [2, 4), identifying through the Simulator's shared
/// identify queue (twilight gateway-queue protocol). Each serves only its range, and Discord sees no rate-limit violation.
/// </summary>
public sealed partial class MultiInstanceTests
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(90);
    private const int Intents = 513;

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public async Task Two_processes_serve_their_own_ranges_and_identify_through_the_shared_queue(int maxConcurrency)
    {
        await using DiscordSimulator simulator = await SimulatorClients.StartAsync(o =>
        {
            o.ShardCount = 4;
            o.GuildCount = 12;
            o.MaxConcurrency = maxConcurrency;
            o.IdentifyInterval = TimeSpan.FromMilliseconds(250);
            o.IdentifyQueueHold = TimeSpan.FromSeconds(60); // a loaded box may take long from grant to IDENTIFY: never skip ahead
        });
        string dir = Directory.CreateTempSubdirectory("gp-multi-").FullName;
        try
        {
            await using ChildProcess first = StartProxy(simulator, dir, "first", 0, 2);
            await using ChildProcess second = StartProxy(simulator, dir, "second", 2, 4);
            int firstPort = await PortAsync(first, "serving shards [0, 2) of 4");
            int secondPort = await PortAsync(second, "serving shards [2, 4) of 4");
            Assert.Contains("through the external identify queue", first.Output + second.Output, StringComparison.Ordinal);
            await WaitHealthyAsync(first, firstPort);
            await WaitHealthyAsync(second, secondPort);

            // Each process serves its own shards, with every guild of each.
            await AssertServesAsync(simulator, firstPort, 0);
            await AssertServesAsync(simulator, firstPort, 1);
            await AssertServesAsync(simulator, secondPort, 2);
            await AssertServesAsync(simulator, secondPort, 3);

            // ... and refuses the other's, naming its own range.
            Assert.Contains("[0, 2) of 4", await RefusedReasonAsync(simulator, firstPort, 3), StringComparison.Ordinal);
            Assert.Contains("[2, 4) of 4", await RefusedReasonAsync(simulator, secondPort, 0), StringComparison.Ordinal);

            AssertIdentifiesFollowedTheQueue(simulator, maxConcurrency);

            first.SendSigterm();
            second.SendSigterm();
            Assert.Equal(0, await first.WaitForExitAsync(Limit));
            Assert.Equal(0, await second.WaitForExitAsync(Limit));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    /// <summary>One IDENTIFY per shard, none refused, each right after its own queue grant, bucket by bucket in grant order.</summary>
    private static void AssertIdentifiesFollowedTheQueue(DiscordSimulator simulator, int maxConcurrency)
    {
        IReadOnlyList<IdentifyRecord> identifies = simulator.GetIdentifyAttempts();
        IReadOnlyList<QueueGrantRecord> grants = simulator.GetQueueGrants();
        string timeline = string.Join(", ", grants.Select(g => (g.Order, $"grant {g.Shard}")).Concat(identifies.Select(i => (i.Order, $"IDENTIFY {i.Shard}")))
            .OrderBy(e => e.Order).Select(e => e.Item2));

        Assert.True(0 == simulator.IdentifyRateLimitViolations, $"rate-limit violations: {timeline}");
        Assert.Equal([0, 1, 2, 3], identifies.Select(i => i.Shard).Order());
        Assert.Equal([0, 1, 2, 3], grants.Select(g => g.Shard).Order());
        for (int bucket = 0; bucket < maxConcurrency; bucket++)
        {
            // In a bucket the queue holds the next grant until the granted shard's IDENTIFY arrives: grant, IDENTIFY, grant, IDENTIFY…
            int b = bucket;
            var events = grants.Where(g => g.Shard % maxConcurrency == b).Select(g => (g.Order, Shard: g.Shard, Grant: true))
                .Concat(identifies.Where(i => i.Shard % maxConcurrency == b).Select(i => (i.Order, Shard: i.Shard, Grant: false)))
                .OrderBy(e => e.Order).ToArray();
            Assert.Equal(4 / maxConcurrency * 2, events.Length);
            for (int i = 0; i < events.Length; i += 2)
            {
                Assert.True(events[i].Grant && !events[i + 1].Grant && events[i].Shard == events[i + 1].Shard, $"bucket {b} out of queue order: {timeline}");
            }
        }

        // Both processes took part in the same queue (their shards share buckets).
        Assert.Contains(grants, g => g.Shard < 2);
        Assert.Contains(grants, g => g.Shard >= 2);
    }

    private static ChildProcess StartProxy(DiscordSimulator simulator, string root, string name, int start, int end)
    {
        string dir = Directory.CreateDirectory(Path.Combine(root, name)).FullName;
        string json = $$"""
            {
              "token": "{{simulator.Options.Token}}",
              "intents": {{Intents}},
              "shards": 4,
              "shard_start": {{start}},
              "shard_end": {{end}},
              "bind": "127.0.0.1",
              "port": 7878,
              "log_level": "info",
              "state_file": null,
              "upstream": {
                "api_base_url": "{{simulator.ApiBaseUrl.ToString().TrimEnd('/')}}",
                "compression": "zlib-stream",
                "identify_queue_url": "{{simulator.IdentifyQueueUrl}}"
              }
            }
            """;
        File.WriteAllText(Path.Combine(dir, "config.json"), json);
        return ProxyProcess.Start(["--config", "config.json", "--port", "0"], dir);
    }

    private static async Task<int> PortAsync(ChildProcess proxy, string fragment)
    {
        string line = await proxy.WaitForLineAsync(fragment, Limit);
        Match match = ListenPort().Match(line);
        Assert.True(match.Success, $"no port in: {line}");
        return int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
    }

    /// <summary>Polls <c>/health</c> until it answers 200 (every shard of the range ready); bounded by <see cref="Limit"/>.</summary>
    private static async Task WaitHealthyAsync(ChildProcess proxy, int port)
    {
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(30) };
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (true)
        {
            using HttpResponseMessage health = await http.GetAsync(new Uri("/health", UriKind.Relative));
            if (health.StatusCode == HttpStatusCode.OK)
            {
                return;
            }

            if (clock.Elapsed > Limit || proxy.HasExited)
            {
                Assert.Fail($"proxy on port {port} not healthy: {await health.Content.ReadAsStringAsync()}\n{proxy.Output}");
            }

            await Task.Delay(100);
        }
    }

    private static async Task AssertServesAsync(DiscordSimulator simulator, int port, int shard)
    {
        await using RawGatewayClient client = await ConnectAsync(port);
        await client.IdentifyAsync(simulator.Options.Token, shard, 4, Intents);
        GatewayMessage ready = await client.ReceiveAsync();
        Assert.Equal("READY", ready.Type);
        Assert.Equal(shard, ready.Data.GetProperty("shard")[0].GetInt32());
        var expected = simulator.State.GetGuildIds(shard).Order().ToArray();
        var received = new List<string>();
        while (received.Count < expected.Length)
        {
            GatewayMessage message = await client.ReceiveAsync();
            if (message.Type == "GUILD_CREATE")
            {
                received.Add(message.Data.GetProperty("id").GetString()!);
            }
        }

        Assert.Equal(expected, received.Order().ToArray());
    }

    private static async Task<string> RefusedReasonAsync(DiscordSimulator simulator, int port, int shard)
    {
        await using RawGatewayClient client = await ConnectAsync(port);
        await client.IdentifyAsync(simulator.Options.Token, shard, 4, Intents);
        Assert.Equal((ushort)4010, await client.ReceiveCloseAsync());
        return client.CloseReceived!.Value.Reason;
    }

    private static async Task<RawGatewayClient> ConnectAsync(int port)
    {
        RawGatewayClient client = await RawGatewayClient.ConnectAsync(new Uri($"ws://127.0.0.1:{port}/?v=10&encoding=json"));
        GatewayMessage hello = await client.ReceiveAsync();
        Assert.Equal(10, hello.Op);
        return client;
    }

    [GeneratedRegex(@"at ws://127\.0\.0\.1:(\d+)")]
    private static partial Regex ListenPort();
}
