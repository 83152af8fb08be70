using GatewayProxy.Tests.Ingress.Support;
using System.Text;
using GatewayProxy.Ingress;
using GatewayProxy.Simulator;
using Microsoft.Extensions.Logging.Abstractions;
using Prometheus;
using Xunit;
using GatewayProxy.Tests.Support;

namespace GatewayProxy.Tests.Ingress;

public sealed class ShardLifecycleTests
{
    [Fact]
    public async Task Stop_keeps_the_session_resumable_and_a_saved_session_resumes_instead_of_identifying()
    {
        SimulatorOptions simOptions = IngressTestKit.SimulatorDefaults(shards: 1, guilds: 3);
        await using DiscordSimulator simulator = await DiscordSimulator.StartAsync(simOptions);
        IngressOptions options = IngressTestKit.OptionsFor(simulator);
        ShardResumeState saved;
        await using (ShardManager first = await ShardManager.StartAsync(options, NullLogger.Instance, CancellationToken.None))
        {
            Shard shard = first.GetShard(0)!;
            await IngressTestKit.WaitUntilAsync(() => shard.IsReady, () => $"not ready: {shard.Status}");
            await simulator.EmitEventsAsync(0, 10);
            await IngressTestKit.WaitUntilAsync(() => shard.Ring.Cursor + 1 == simulator.GetSentDispatches(0).Count, () => "ring behind");
            await first.StopAsync(CancellationToken.None);
            Assert.Equal("stopped: shut down", shard.Status);
            saved = new ShardResumeState(shard.SessionId!, shard.UpstreamSequence, new Uri(shard.ResumeUrl!));
        }

        int sentBefore = simulator.GetSentDispatches(0).Count;
        await simulator.EmitEventsAsync(0, 10); // buffered by the Simulator for the resume
        options.Metrics = Metrics.NewCustomRegistry();
        options.ResumeStates = new Dictionary<int, ShardResumeState> { [0] = saved };
        await using ShardManager second = await ShardManager.StartAsync(options, NullLogger.Instance, CancellationToken.None);
        Shard resumed = second.GetShard(0)!;
        await IngressTestKit.WaitUntilAsync(() => simulator.ResumeCount == 1 && resumed.State == ShardState.Connected, () => $"not resumed: {resumed.Status}");
        await IngressTestKit.WaitUntilAsync(() => resumed.Ring.Cursor + 1 == simulator.GetSentDispatches(0).Count - sentBefore, () => "replay not in the ring");

        Assert.Equal(1, simulator.IdentifyCount);
        Assert.Equal(saved.SessionId, resumed.SessionId);
        IReadOnlyList<SentDispatch> sent = simulator.GetSentDispatches(0);
        List<byte[]> ring = IngressTestKit.RingPayloads(resumed.Ring);
        for (int i = 0; i < ring.Count; i++)
        {
            Assert.Equal(sent[sentBefore + i].Payload, ring[i]);
        }

        Assert.Equal("RESUMED", sent[^1].Type);
    }

    [Fact]
    public async Task Metrics_report_events_status_latency_and_cache_sizes_per_shard()
    {
        SimulatorOptions sim = IngressTestKit.SimulatorDefaults(shards: 2, guilds: 6);
        sim.HeartbeatIntervalMs = 1000;
        await using IngressTestKit kit = await IngressTestKit.StartAsync(sim);
        await kit.WaitAllReadyAsync();
        await IngressTestKit.WaitUntilAsync(() => kit.Manager.Shards.All(s => s.LatencyMs is not null), () => "no heartbeat ACK yet");
        string text = await MetricsText.ScrapeAsync(kit.Registry);

        int guilds0 = kit.Simulator.State.GetGuildIds(0).Count;
        Assert.Contains("gateway_shard_events{shard=\"0\",event_type=\"READY\"} 1", text, StringComparison.Ordinal);
        Assert.Contains($"gateway_shard_events{{shard=\"0\",event_type=\"GUILD_CREATE\"}} {guilds0}", text, StringComparison.Ordinal);
        Assert.Contains("gateway_shard_status{shard=\"1\"} 5", text, StringComparison.Ordinal);
        Assert.Contains($"gateway_cache_guilds{{shard=\"0\"}} {guilds0}", text, StringComparison.Ordinal);
        Assert.Contains("gateway_shard_latency{shard=\"1\"}", text, StringComparison.Ordinal);
        Assert.Contains("gateway_shard_latency_seconds_count{shard=\"0\"}", text, StringComparison.Ordinal);
    }
}
