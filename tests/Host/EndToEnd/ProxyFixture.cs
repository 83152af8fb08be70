using Xunit;
using System.Text;
using GatewayProxy.Host;
using GatewayProxy.Host.Configuration;
using GatewayProxy.Host.Logging;
using GatewayProxy.Protocol.Compression;
using GatewayProxy.Protocol.Gateway;
using GatewayProxy.Simulator;
using GatewayProxy.Tests.Support;

namespace GatewayProxy.Tests.Host.EndToEnd;

/// <summary>A simulated Discord with the real proxy (Ingress + Egress, as the executable wires them) in front of it.</summary>
internal sealed class ProxyFixture : IAsyncDisposable
{
    public static readonly TimeSpan WaitLimit = TimeSpan.FromSeconds(60);

    private ProxyFixture(DiscordSimulator simulator, ProxyHost proxy)
    {
        Simulator = simulator;
        Proxy = proxy;
    }

    public DiscordSimulator Simulator { get; }

    public ProxyHost Proxy { get; }

    public Uri ProxyUrl => new($"ws://127.0.0.1:{Proxy.LocalEndPoint.Port}");

    public string Token => Simulator.Options.Token;

    public int ShardCount => Simulator.Options.ShardCount;

    public static async Task<ProxyFixture> StartAsync(Action<SimulatorOptions>? simulator = null, string extraConfig = "")
    {
        DiscordSimulator sim = await SimulatorClients.StartAsync(o =>
        {
            o.ShardCount = 2;
            o.GuildCount = 8;
            simulator?.Invoke(o);
        });
        try
        {
            string json = $$"""
                {
                  "token": "{{sim.Options.Token}}",
                  "intents": 33539,
                  "bind": "127.0.0.1",
                  "port": 7878,
                  "log_level": "warn",
                  "upstream": { "api_base_url": "{{sim.ApiBaseUrl.ToString().TrimEnd('/')}}", "compression": "zlib-stream" }
                  {{extraConfig}}
                }
                """;
            ProxyConfig config = ConfigLoader.LoadFromJson(json, "test-config.json", _ => null) with { Port = 0 };
            var log = new ProxyLog(TextWriter.Null, TextWriter.Null, ProxyLogLevel.Warn);
            ProxyHost proxy = await ProxyHost.StartAsync(config, log, tuneIngress: o => o.IdentifyInterval = TimeSpan.FromMilliseconds(50));
            var fixture = new ProxyFixture(sim, proxy);
            await fixture.WaitUntilAsync(() => proxy.Shards.Shards.All(s => s.IsReady), "every shard ready");
            return fixture;
        }
        catch
        {
            await sim.DisposeAsync();
            throw;
        }
    }

    /// <summary>Connects through the proxy, identifies for <paramref name="shard"/> and reads READY and every guild answer.</summary>
    public Task<ProxyClient> ConnectIdentifiedAsync(int shard, TransportCompression compression = TransportCompression.None, long intents = SimulatorClients.AllUsefulIntents, string extra = "") =>
        ConnectIdentifiedAsync(ProxyUrl, Token, shard, ShardCount, compression, intents, extra);

    /// <summary>Connects to the proxy at <paramref name="proxyUrl"/>, identifies for <paramref name="shard"/> and reads READY and every guild answer.</summary>
    public static async Task<ProxyClient> ConnectIdentifiedAsync(Uri proxyUrl, string token, int shard, int shardCount, TransportCompression compression = TransportCompression.None, long intents = SimulatorClients.AllUsefulIntents, string extra = "")
    {
        RawGatewayClient client = await RawGatewayClient.ConnectAsync(proxyUrl, compression);
        try
        {
            GatewayMessage hello = await client.ReceiveAsync(WaitLimit);
            Assert.Equal(10, hello.Op);
            await client.IdentifyAsync(token, shard, shardCount, intents, extra);
            GatewayMessage ready = await client.ReceiveAsync(WaitLimit);
            Assert.True(ready.Type == "READY", $"expected READY, got {ready}");
            int guilds = ready.Data.GetProperty("guilds").GetArrayLength();
            var answers = new List<GatewayMessage>();
            while (answers.Count < guilds)
            {
                GatewayMessage message = await client.ReceiveAsync(WaitLimit);
                Assert.True(message.Type is "GUILD_CREATE" or "GUILD_DELETE", $"expected a guild answer, got {message}");
                answers.Add(message);
            }

            return new ProxyClient(client, ready, answers);
        }
        catch
        {
            await client.DisposeAsync();
            throw;
        }
    }

    /// <summary>The simulator's dispatches on <paramref name="shard"/>'s current upstream session after READY and its GUILD_CREATE burst.</summary>
    public IReadOnlyList<SentDispatch> LiveDispatches(int shard)
    {
        IReadOnlyList<SentDispatch> all = Simulator.GetSentDispatches(shard);
        string session = all[^1].SessionId;
        var live = new List<SentDispatch>();
        foreach (SentDispatch d in all)
        {
            if (d.SessionId == session && d.Type is not ("READY" or "RESUMED"))
            {
                live.Add(d);
            }
        }

        return live;
    }

    /// <summary>Asserts <paramref name="received"/> is, payload for payload, the simulator's <paramref name="sent"/> with client sequences from <paramref name="firstSeq"/>.</summary>
    public static void AssertRelayed(IReadOnlyList<SentDispatch> sent, IReadOnlyList<GatewayMessage> received, long firstSeq)
    {
        Assert.Equal(sent.Count, received.Count);
        for (int i = 0; i < sent.Count; i++)
        {
            Assert.True(received[i].Seq == firstSeq + i, $"event {i}: s = {received[i].Seq}, wanted {firstSeq + i}");
            Assert.True(EnvelopeScanner.TryScan(sent[i].Payload, out Envelope envelope, out _));
            var expected = new System.Buffers.ArrayBufferWriter<byte>();
            SequenceSplice.Write(expected, sent[i].Payload, envelope, firstSeq + i);
            if (!expected.WrittenSpan.SequenceEqual(received[i].Json))
            {
                Assert.Fail($"event {i} ({sent[i].Type}) differs:\nsent     {Encoding.UTF8.GetString(expected.WrittenSpan)}\nreceived {received[i]}");
            }
        }
    }

    public async Task WaitUntilAsync(Func<bool> condition, string what)
    {
        using var timeout = new CancellationTokenSource(WaitLimit);
        while (!condition())
        {
            if (timeout.IsCancellationRequested)
            {
                Assert.Fail($"timed out waiting for {what}");
            }

            await Task.Delay(10);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Proxy.DisposeAsync();
        await Simulator.DisposeAsync();
    }
}

/// <summary>An identified client of the proxy with what it got before live events.</summary>
internal sealed record ProxyClient(RawGatewayClient Client, GatewayMessage Ready, IReadOnlyList<GatewayMessage> Guilds) : IAsyncDisposable
{
    public string SessionId => Ready.Data.GetProperty("session_id").GetString()!;

    /// <summary>Reads the next <paramref name="count"/> dispatches (skipping heartbeat ACKs).</summary>
    public async Task<List<GatewayMessage>> ReceiveDispatchesAsync(int count)
    {
        var list = new List<GatewayMessage>(count);
        while (list.Count < count)
        {
            GatewayMessage message = await Client.ReceiveAsync(ProxyFixture.WaitLimit);
            if (message.Op == 0)
            {
                list.Add(message);
            }
        }

        return list;
    }

    public ValueTask DisposeAsync() => Client.DisposeAsync();
}
