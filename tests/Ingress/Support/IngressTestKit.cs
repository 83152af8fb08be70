using GatewayProxy.Protocol.Gateway;
using System.Diagnostics;
using GatewayProxy.Ingress;
using GatewayProxy.Cache;
using GatewayProxy.Protocol.Compression;
using GatewayProxy.Protocol.Events;
using GatewayProxy.Ring;
using GatewayProxy.Simulator;
using Microsoft.Extensions.Logging.Abstractions;
using Prometheus;
using Xunit;

using GatewayProxy.Tests.Support;

namespace GatewayProxy.Tests.Ingress.Support;

/// <summary>A Simulator plus a ShardManager connected to it over loopback, and bounded waits on their state.</summary>
internal sealed class IngressTestKit : IAsyncDisposable
{
    /// <summary>Every wait gives up (and fails the test with its message) after this long.</summary>
    public static readonly TimeSpan WaitLimit = TimeSpan.FromSeconds(30);

    private IngressTestKit(DiscordSimulator simulator, ShardManager manager, CollectorRegistry registry)
    {
        Simulator = simulator;
        Manager = manager;
        Registry = registry;
    }

    public DiscordSimulator Simulator { get; }

    public ShardManager Manager { get; }

    public CollectorRegistry Registry { get; }

    /// <summary>Simulator defaults for tests: quiet live stream (events only on demand), short intervals.</summary>
    public static SimulatorOptions SimulatorDefaults(int shards = 1, int guilds = 6) => new()
    {
        ShardCount = shards,
        GuildCount = guilds,
        EventsPerSecond = 0,
        // Long enough that a loaded test machine never delays a beat or an ACK past it (a false zombie would resume, and a
        // late beat past the Simulator's timeout would end the session with 4009); tests that need beats shorten it.
        HeartbeatIntervalMs = 5000,
        HeartbeatTimeoutFactor = 20,
        IdentifyInterval = TimeSpan.FromMilliseconds(100),
        MembersPerGuild = 12,
        Seed = 7,
    };

    /// <summary>Ingress options pointing at <paramref name="simulator"/>.</summary>
    public static IngressOptions OptionsFor(DiscordSimulator simulator, TransportCompression compression = TransportCompression.ZlibStream, CacheOptions? cache = null) => new()
    {
        Token = simulator.Options.Token,
        Intents = (uint)GatewayIntents.All,
        ApiBaseUrl = simulator.ApiBaseUrl,
        Compression = compression,
        RingSize = 1024,
        Cache = cache ?? CacheOptions.All(),
        IdentifyInterval = simulator.Options.IdentifyInterval + TimeSpan.FromMilliseconds(100),
        IdentifyMargin = TimeSpan.FromMilliseconds(20),
        ReidentifyDelay = (TimeSpan.FromMilliseconds(50), TimeSpan.FromMilliseconds(200)),
        Metrics = Metrics.NewCustomRegistry(),
        CertificateValidation = (_, certificate, _, _) => certificate is not null && simulator.Certificate is not null
            && certificate.GetCertHashString() == simulator.Certificate.GetCertHashString(),
        RestRetryDelay = TimeSpan.FromMilliseconds(50),
        MaxReconnectDelay = TimeSpan.FromSeconds(1),
        ActivityName = "shard {{shard}}",
    };

    public static async Task<IngressTestKit> StartAsync(SimulatorOptions simulatorOptions, Func<DiscordSimulator, IngressOptions>? configure = null)
    {
        DiscordSimulator simulator = await DiscordSimulator.StartAsync(simulatorOptions);
        try
        {
            IngressOptions options = configure?.Invoke(simulator) ?? OptionsFor(simulator);
            // The kit's checks read rings whole, from the first event: keep them, sessions or not.
            options.RingRetentionFollowsSessions = false;
            ShardManager manager = await ShardManager.StartAsync(options, NullLogger.Instance, CancellationToken.None);
            return new IngressTestKit(simulator, manager, options.Metrics!);
        }
        catch
        {
            await simulator.DisposeAsync();
            throw;
        }
    }

    /// <summary>Waits until every shard is ready (READY applied, every guild answered).</summary>
    public async Task WaitAllReadyAsync()
    {
        foreach (Shard shard in Manager.Shards)
        {
            await WaitUntilAsync(
                () => shard.IsReady || shard.State == ShardState.Stopped,
                () => $"shard {shard.Id} not ready (status {shard.Status})");
            Assert.True(shard.IsReady, $"shard {shard.Id} stopped: {shard.Status}");
        }
    }

    /// <summary>Polls <paramref name="condition"/> until true; fails with <paramref name="what"/> after <see cref="WaitLimit"/>.</summary>
    public static Task WaitUntilAsync(Func<bool> condition, Func<string> what) => Poll.UntilAsync(condition, WaitLimit, what);

    /// <summary>Waits until the shard's ring has published as many dispatches as the Simulator has sent on it.</summary>
    public async Task WaitRingCaughtUpAsync(int shardId)
    {
        Shard shard = Manager.GetShard(shardId)!;
        await WaitUntilAsync(
            () => shard.Ring.Cursor + 1 >= Simulator.GetSentDispatches(shardId).Count,
            () => $"shard {shardId}: ring has {shard.Ring.Cursor + 1} dispatches, the Simulator sent {Simulator.GetSentDispatches(shardId).Count} (status {shard.Status})");
    }

    /// <summary>Every payload published in the ring, oldest first (the ring must not have wrapped).</summary>
    public static List<byte[]> RingPayloads(PayloadRing<EventMeta> ring)
    {
        Assert.True(ring.Cursor < ring.Size, "the ring wrapped; make it bigger for this test");
        var payloads = new List<byte[]>();
        for (long seq = 0; seq <= ring.Cursor; seq++)
        {
            payloads.Add(ring.Read(seq, out _).ToArray());
        }

        return payloads;
    }

    /// <summary>Asserts the ring holds exactly what the Simulator sent on the shard, once each, in order.</summary>
    public void AssertRingMatchesSimulator(int shardId)
    {
        IReadOnlyList<SentDispatch> sent = Simulator.GetSentDispatches(shardId);
        List<byte[]> ring = RingPayloads(Manager.GetShard(shardId)!.Ring);
        Assert.Equal(sent.Count, ring.Count);
        for (int i = 0; i < sent.Count; i++)
        {
            if (!sent[i].Payload.AsSpan().SequenceEqual(ring[i]))
            {
                Assert.Fail($"ring[{i}] differs from the Simulator's dispatch {sent[i].Type} s={sent[i].Seq} of session {sent[i].SessionId}: "
                    + $"got {System.Text.Encoding.UTF8.GetString(ring[i].AsSpan(0, Math.Min(200, ring[i].Length)))}");
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        using var cts = new CancellationTokenSource(WaitLimit);
        await Manager.StopAsync(cts.Token);
        await Simulator.DisposeAsync();
    }
}
