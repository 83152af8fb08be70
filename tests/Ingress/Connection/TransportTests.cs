using GatewayProxy.Tests.Ingress.Support;
using GatewayProxy.Ingress;
using GatewayProxy.Protocol.Compression;
using GatewayProxy.Simulator;
using Xunit;

namespace GatewayProxy.Tests.Ingress.Connection;

/// <summary>TLS and every upstream compression produce the same ring: exactly the payloads the Simulator sent.</summary>
public sealed class TransportTests
{
    [Fact]
    public async Task Wss_with_tls_reaches_ready_and_relays_every_dispatch()
    {
        SimulatorOptions sim = IngressTestKit.SimulatorDefaults(shards: 1, guilds: 4);
        sim.Tls = true;
        await using IngressTestKit kit = await IngressTestKit.StartAsync(sim);
        Assert.Equal("wss", kit.Simulator.GatewayUrl.Scheme);
        await kit.WaitAllReadyAsync();
        await kit.Simulator.EmitEventsAsync(0, 20);
        await kit.Simulator.DropConnectionAsync(0, midFrame: true);
        await kit.Simulator.EmitEventsAsync(0, 5);
        await IngressTestKit.WaitUntilAsync(() => kit.Simulator.ResumeCount >= 1, () => "no RESUME over TLS");
        await kit.WaitRingCaughtUpAsync(0);
        kit.AssertRingMatchesSimulator(0);
    }

    [Fact]
    public async Task Zlib_zstd_and_uncompressed_upstreams_produce_identical_ring_contents()
    {
        var rings = new Dictionary<TransportCompression, List<byte[]>>();
        foreach (TransportCompression compression in new[] { TransportCompression.ZlibStream, TransportCompression.ZstdStream, TransportCompression.None })
        {
            SimulatorOptions sim = IngressTestKit.SimulatorDefaults(shards: 1, guilds: 5);
            sim.MembersPerGuild = 400; // GUILD_CREATEs of tens of KiB: several segments and inflate calls each
            await using IngressTestKit kit = await IngressTestKit.StartAsync(sim, s => IngressTestKit.OptionsFor(s, compression));
            await kit.WaitAllReadyAsync();
            await kit.Simulator.EmitEventsAsync(0, 200);
            await kit.WaitRingCaughtUpAsync(0);
            kit.AssertRingMatchesSimulator(0);
            rings[compression] = Normalize(IngressTestKit.RingPayloads(kit.Manager.GetShard(0)!.Ring), kit.Simulator.Port);
        }

        AssertSame(rings[TransportCompression.ZlibStream], rings[TransportCompression.None]);
        AssertSame(rings[TransportCompression.ZstdStream], rings[TransportCompression.None]);
    }

    /// <summary>The generated data is seeded; only the Simulator's port (in READY's resume_gateway_url) differs between runs.</summary>
    private static List<byte[]> Normalize(List<byte[]> payloads, int port)
    {
        byte[] from = System.Text.Encoding.UTF8.GetBytes("127.0.0.1:" + port);
        byte[] to = "127.0.0.1:PORT"u8.ToArray();
        var result = new List<byte[]>(payloads.Count);
        foreach (byte[] payload in payloads)
        {
            int at = payload.AsSpan().IndexOf(from);
            result.Add(at < 0 ? payload : [.. payload.AsSpan(0, at), .. to, .. payload.AsSpan(at + from.Length)]);
        }

        return result;
    }

    private static void AssertSame(List<byte[]> a, List<byte[]> b)
    {
        Assert.Equal(a.Count, b.Count);
        for (int i = 0; i < a.Count; i++)
        {
            Assert.True(a[i].AsSpan().SequenceEqual(b[i]), $"ring[{i}] differs: {System.Text.Encoding.UTF8.GetString(a[i])[..Math.Min(160, a[i].Length)]}");
        }
    }
}
