using GatewayProxy.Tests.Ingress.Support;
using GatewayProxy.Ingress;
using GatewayProxy.Simulator;
using Xunit;
using GatewayProxy.Tests.Support;

namespace GatewayProxy.Tests.Ingress;

/// <summary>Every fault Discord throws: the ring ends up with every dispatch the Simulator sent, once each, in order.</summary>
public sealed class ShardRecoveryTests
{
    public enum Fault
    {
        Reconnect,
        DropMidFrame,
        DropBetweenFrames,
        Zombie,
        InvalidSessionResumable,
        ResumableClose,
    }

    [Theory]
    [InlineData(Fault.Reconnect)]
    [InlineData(Fault.DropMidFrame)]
    [InlineData(Fault.DropBetweenFrames)]
    [InlineData(Fault.Zombie)]
    [InlineData(Fault.InvalidSessionResumable)]
    [InlineData(Fault.ResumableClose)]
    public async Task After_a_resumable_fault_the_ring_holds_every_dispatch_once_in_order(Fault fault)
    {
        SimulatorOptions sim = IngressTestKit.SimulatorDefaults(shards: 1, guilds: 4);
        if (fault == Fault.Zombie)
        {
            sim.HeartbeatIntervalMs = 300;
        }
        await using IngressTestKit kit = await IngressTestKit.StartAsync(sim);
        await kit.WaitAllReadyAsync();
        Shard shard = kit.Manager.GetShard(0)!;
        string? session = shard.SessionId;

        await kit.Simulator.EmitEventsAsync(0, 30);
        await kit.WaitRingCaughtUpAsync(0);
        await InjectAsync(kit.Simulator, fault);
        // Sent while the shard is down or reconnecting: Discord replays them on RESUME.
        await kit.Simulator.EmitEventsAsync(0, 30);
        await IngressTestKit.WaitUntilAsync(() => kit.Simulator.ResumeCount >= 1, () => $"no RESUME after {fault} (status {shard.Status})");
        await kit.Simulator.WaitForSessionAsync(0);
        if (fault == Fault.Zombie)
        {
            kit.Simulator.SetStalled(0, false);
        }

        await kit.Simulator.EmitEventsAsync(0, 30);
        await kit.WaitRingCaughtUpAsync(0);

        kit.AssertRingMatchesSimulator(0);
        Assert.Equal(1, kit.Simulator.IdentifyCount);
        Assert.Equal(session, shard.SessionId);
        Assert.Equal(kit.Simulator.GetSentDispatches(0)[^1].Seq, shard.UpstreamSequence);
        Assert.Contains(fault == Fault.Zombie ? "zombie" : string.Empty, ReconnectReasons(kit), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Invalid_session_not_resumable_identifies_again_and_refills_the_cache()
    {
        SimulatorOptions sim = IngressTestKit.SimulatorDefaults(shards: 1, guilds: 4);
        await using IngressTestKit kit = await IngressTestKit.StartAsync(sim);
        await kit.WaitAllReadyAsync();
        Shard shard = kit.Manager.GetShard(0)!;
        string? first = shard.SessionId;
        await kit.Simulator.EmitEventsAsync(0, 10);
        await kit.WaitRingCaughtUpAsync(0);

        await kit.Simulator.SendInvalidSessionAsync(0, resumable: false);
        await IngressTestKit.WaitUntilAsync(() => kit.Simulator.IdentifyCount == 2 && shard.IsReady && shard.SessionId != first,
            () => $"no second session (identifies {kit.Simulator.IdentifyCount}, status {shard.Status}, ready {shard.IsReady})");
        await kit.Simulator.EmitEventsAsync(0, 10);
        await kit.WaitRingCaughtUpAsync(0);

        kit.AssertRingMatchesSimulator(0);
        Assert.Equal(0, kit.Simulator.ResumeCount);
        Assert.NotNull(shard.SessionId);
        Assert.Equal(kit.Simulator.State.GetGuildIds(0).Count, shard.TakeSnapshot().GuildCount);
    }

    [Fact]
    public async Task Close_4004_stops_the_shard_and_says_what_to_fix()
    {
        SimulatorOptions sim = IngressTestKit.SimulatorDefaults(shards: 2, guilds: 4);
        await using IngressTestKit kit = await IngressTestKit.StartAsync(sim);
        await kit.WaitAllReadyAsync();
        Shard shard = kit.Manager.GetShard(1)!;

        await kit.Simulator.CloseConnectionAsync(1, 4004, "Authentication failed.");
        await IngressTestKit.WaitUntilAsync(() => shard.State == ShardState.Stopped, () => $"shard 1 still {shard.Status}");

        Assert.StartsWith("stopped: 4004", shard.Status, StringComparison.Ordinal);
        Assert.Contains("token", shard.Status, StringComparison.Ordinal);
        Assert.False(kit.Manager.GetShard(0)!.State == ShardState.Stopped);
        Assert.Equal(0, kit.Simulator.ResumeCount);
        Assert.Equal(2, kit.Simulator.IdentifyCount);
    }

    private static async Task InjectAsync(DiscordSimulator simulator, Fault fault)
    {
        switch (fault)
        {
            case Fault.Reconnect:
                await simulator.SendReconnectAsync(0);
                break;
            case Fault.DropMidFrame:
                await simulator.DropConnectionAsync(0, midFrame: true);
                break;
            case Fault.DropBetweenFrames:
                await simulator.DropConnectionAsync(0, midFrame: false);
                break;
            case Fault.Zombie:
                simulator.SetStalled(0, true);
                break;
            case Fault.InvalidSessionResumable:
                await simulator.SendInvalidSessionAsync(0, resumable: true);
                break;
            case Fault.ResumableClose:
                await simulator.CloseConnectionAsync(0, 4000, "Unknown error.");
                break;
        }
    }

    private static string ReconnectReasons(IngressTestKit kit)
    {
        string text = MetricsText.ScrapeAsync(kit.Registry).GetAwaiter().GetResult();
        Assert.Contains("gateway_upstream_reconnects_total", text, StringComparison.Ordinal);
        return text;
    }
}
