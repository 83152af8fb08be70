using GatewayProxy.Tests.Ingress.Support;
using GatewayProxy.Ingress;
using GatewayProxy.Simulator;
using Xunit;

namespace GatewayProxy.Tests.Ingress;

public sealed class ShardStartupTests
{
    [Fact]
    public async Task Every_shard_reaches_ready_and_the_ring_holds_what_the_simulator_sent()
    {
        SimulatorOptions sim = IngressTestKit.SimulatorDefaults(shards: 2, guilds: 8);
        await using IngressTestKit kit = await IngressTestKit.StartAsync(sim);
        await kit.WaitAllReadyAsync();
        await kit.Simulator.EmitEventsAsync(0, 20);
        await kit.WaitRingCaughtUpAsync(0);
        await kit.WaitRingCaughtUpAsync(1);
        kit.AssertRingMatchesSimulator(0);
        kit.AssertRingMatchesSimulator(1);
    }
}
