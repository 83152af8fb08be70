using Xunit;
using System.Security.Cryptography.X509Certificates;
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

    // Per shard, what earlier Simulator instances sent (RestartSimulatorAsync): the ring holds it before the current one's.
    private readonly Dictionary<int, List<SentDispatch>> _history = [];

    private ProxyFixture(DiscordSimulator simulator, ProxyHost proxy)
    {
        Simulator = simulator;
        Proxy = proxy;
    }

    /// <summary>The simulated Discord now serving (a new instance after <see cref="RestartSimulatorAsync"/>).</summary>
    public DiscordSimulator Simulator { get; private set; }

    public ProxyHost Proxy { get; }

    public Uri ProxyUrl => new($"ws://127.0.0.1:{Proxy.LocalEndPoint.Port}");

    public string Token => Simulator.Options.Token;

    public int ShardCount => Simulator.Options.ShardCount;

    /// <summary>Starts a Simulator and the proxy in front of it; waits until every shard is ready.</summary>
    /// <param name="simulator">Simulator options.</param>
    /// <param name="extraConfig">Raw JSON members appended to config.json (start with a comma).</param>
    /// <param name="log">Where the proxy logs (default: nowhere).</param>
    /// <param name="beforeProxy">Runs after the Simulator started, before the proxy does (arm REST faults).</param>
    /// <param name="tuneIngress">Adjusts Ingress options beyond config.json.</param>
    /// <param name="tuneEgress">Adjusts Egress options beyond config.json.</param>
    /// <param name="intents">The proxy's upstream intents.</param>
    public static async Task<ProxyFixture> StartAsync(Action<SimulatorOptions>? simulator = null, string extraConfig = "", ProxyLog? log = null,
        Action<DiscordSimulator>? beforeProxy = null, Action<GatewayProxy.Ingress.IngressOptions>? tuneIngress = null,
        Action<GatewayProxy.Egress.EgressOptions>? tuneEgress = null, long intents = 33539)
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
                  "intents": {{intents}},
                  "bind": "127.0.0.1",
                  "port": 7878,
                  "log_level": "warn",
                  "upstream": { "api_base_url": "{{sim.ApiBaseUrl.ToString().TrimEnd('/')}}", "compression": "zlib-stream" }
                  {{extraConfig}}
                }
                """;
            ProxyConfig config = ConfigLoader.LoadFromJson(json, "test-config.json", _ => null) with { Port = 0 };
            log ??= new ProxyLog(TextWriter.Null, TextWriter.Null, ProxyLogLevel.Warn);
            beforeProxy?.Invoke(sim);
            ProxyHost proxy = await ProxyHost.StartAsync(config, log, tuneIngress: o =>
            {
                o.IdentifyInterval = TimeSpan.FromMilliseconds(50);
                o.IdentifyMargin = TimeSpan.FromMilliseconds(5);
                tuneIngress?.Invoke(o);
            }, tuneEgress: tuneEgress);
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
    public Task<ProxyClient> ConnectIdentifiedAsync(int shard, TransportCompression compression = TransportCompression.None, long intents = SimulatorClients.AllUsefulIntents, string extra = "",
        Uri? via = null) =>
        ConnectIdentifiedAsync(via ?? ProxyUrl, Token, shard, ShardCount, compression, intents, extra);

    /// <summary>Connects to the proxy at <paramref name="proxyUrl"/>, identifies for <paramref name="shard"/> and reads READY and every guild answer.</summary>
    public static async Task<ProxyClient> ConnectIdentifiedAsync(Uri proxyUrl, string token, int shard, int shardCount, TransportCompression compression = TransportCompression.None, long intents = SimulatorClients.AllUsefulIntents, string extra = "",
        string? pathAndQuery = null, X509Certificate2? trustedCertificate = null)
    {
        RawGatewayClient client = await RawGatewayClient.ConnectAsync(proxyUrl, compression, trustedCertificate, pathAndQuery);
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

    /// <summary>Stops the Simulator entirely (every connection dropped, every session forgotten) and starts a fresh one with
    /// the same options on the same port, as a Discord-side restart looks to the proxy.</summary>
    public async Task RestartSimulatorAsync()
    {
        DiscordSimulator old = Simulator;
        for (int shard = 0; shard < old.Options.ShardCount; shard++)
        {
            if (!_history.TryGetValue(shard, out List<SentDispatch>? list)) _history[shard] = list = [];
            list.AddRange(old.GetSentDispatches(shard));
        }

        SimulatorOptions options = old.Options;
        options.Port = old.Port;
        // Same data, new session ids: a real restart never reissues the ids it forgot.
        options.SessionIdSeed = unchecked((options.SessionIdSeed ?? options.Seed) * 7919 + 1);
        await old.DisposeAsync();
        Simulator = await DiscordSimulator.StartAsync(options);
    }

    /// <summary>Every dispatch sent on <paramref name="shard"/> by every Simulator instance of this fixture, in order: what the
    /// proxy's ring holds, position for position.</summary>
    public List<SentDispatch> AllSentDispatches(int shard)
    {
        var all = _history.TryGetValue(shard, out List<SentDispatch>? earlier) ? new List<SentDispatch>(earlier) : [];
        all.AddRange(Simulator.GetSentDispatches(shard));
        return all;
    }

    public Task WaitUntilAsync(Func<bool> condition, string what) => Poll.UntilAsync(condition, WaitLimit, () => what);

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
