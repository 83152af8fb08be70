using GatewayProxy.Simulator;
using GatewayProxy.Tests.Host.EndToEnd;
using Xunit;

namespace GatewayProxy.Tests.Host.Faults;

/// <summary>Discord's faults while clients come, go, drop and resume: afterwards every client got exactly the Simulator's
/// dispatches after its snapshot, in order, and the proxy holds no connection, session, socket or per-client object it should not.</summary>
public sealed class UpstreamFaultTests
{
    public enum Fault
    {
        /// <summary>TCP cut part-way through a frame (at a seeded byte) or between frames, at seeded points of the stream.</summary>
        DropMidFrame,
        /// <summary>op 7 in the middle of the GUILD_CREATE burst of a re-identify.</summary>
        ReconnectDuringBurst,
        /// <summary>op 9 false in the middle of the GUILD_CREATE burst of a re-identify.</summary>
        InvalidSessionDuringBurst,
        /// <summary>The connection stops answering heartbeats: the proxy must call it a zombie and resume elsewhere.</summary>
        Zombie,
        /// <summary>The whole Simulator stops and a fresh one (no sessions) starts on the same port.</summary>
        SimulatorRestart,
        /// <summary>/gateway/bot answers 502 three times at start; then drops mid-frame.</summary>
        GatewayBot5xxAtStart,
    }

    [Theory]
    [InlineData(Fault.DropMidFrame, 11)]
    [InlineData(Fault.DropMidFrame, 12)]
    [InlineData(Fault.DropMidFrame, 13)]
    [InlineData(Fault.ReconnectDuringBurst, 21)]
    [InlineData(Fault.InvalidSessionDuringBurst, 31)]
    [InlineData(Fault.Zombie, 41)]
    [InlineData(Fault.SimulatorRestart, 51)]
    [InlineData(Fault.GatewayBot5xxAtStart, 61)]
    public async Task After_faults_and_client_churn_every_client_got_exactly_the_simulators_dispatches_and_nothing_leaked(Fault fault, int seed)
    {
        await using FaultScene scene = await FaultScene.StartAsync(seed,
            simulator: o =>
            {
                // Zombie detection needs a short heartbeat; elsewhere a long one keeps a loaded box from adding 4009s.
                o.HeartbeatIntervalMs = fault == Fault.Zombie ? 500 : 41250;
                o.MembersPerGuild = 20;
            },
            beforeProxy: fault == Fault.GatewayBot5xxAtStart ? sim => sim.FailGatewayBot(3, 502) : null);
        if (fault == Fault.GatewayBot5xxAtStart) Assert.Equal(4, scene.Simulator.GatewayBotRequests);

        // A client per shard that stays from start to end, and one that stops reading its socket until the end.
        await scene.ConnectAsync(0);
        await scene.ConnectAsync(1);
        await scene.ConnectStallingAsync(scene.Random.Next(2));
        for (int round = 0; round < 6; round++)
        {
            int shard = scene.Random.Next(2);
            await scene.EmitAsync(shard, scene.Random.Next(5, 40));
            await InjectAsync(scene, fault, shard);
            await scene.EmitAsync(shard, scene.Random.Next(5, 40));
            await ChurnAsync(scene);
        }

        await scene.AssertEveryClientGotExactlyTheSimulatorsDispatchesAsync();
        await scene.AssertEverythingReleasedAsync();
    }

    [Fact]
    public async Task Clients_cut_by_a_proxy_shutdown_after_faults_each_get_1012_after_a_gapless_run_and_every_socket_is_released()
    {
        await using FaultScene scene = await FaultScene.StartAsync(seed: 71, simulator: o => o.MembersPerGuild = 20);
        for (int i = 0; i < 4; i++) await scene.ConnectAsync(i % 2);
        for (int round = 0; round < 3; round++)
        {
            int shard = scene.Random.Next(2);
            await scene.EmitAsync(shard, scene.Random.Next(5, 40));
            await InjectAsync(scene, Fault.DropMidFrame, shard);
            await scene.DropAndResumeAsync(scene.Clients[scene.Random.Next(scene.Clients.Count)]);
        }

        await scene.AssertEveryClientGotExactlyTheSimulatorsDispatchesAsync();
        await scene.Fixture.Proxy.StopAsync();
        for (int i = 0; i < scene.Clients.Count; i++)
        {
            TrackedClient client = scene.Clients[i];
            ushort? code = await client.Client.ReceiveCloseAsync(ProxyFixture.WaitLimit);
            Assert.True(code == 1012, $"client {i} of {scene.Clients.Count} (shard {client.Shard}, {client.Resumes} resumes): close code "
                + $"{code?.ToString() ?? "none"} ({client.Client.EndError}), 1012 expected; the proxy's log:\n{scene.LogTail()}");
        }

        // Nothing left open toward clients or upstream.
        int port = scene.Fixture.Proxy.LocalEndPoint.Port;
        int upstream = scene.Simulator.Port;
        await scene.WaitUntilAsync(() => SocketCensus.OwnedConnections(localPort: port) == 0 && SocketCensus.OwnedConnections(remotePort: upstream) == 0,
            $"every socket released: {SocketCensus.OwnedConnections(localPort: port)} toward clients, {SocketCensus.OwnedConnections(remotePort: upstream)} upstream");
    }

    private static async Task ChurnAsync(FaultScene scene)
    {
        // The stalling client neither resumes nor leaves: it only stalls.
        TrackedClient[] live = scene.Clients.Where(c => !c.Left && c.Relay is null).ToArray();
        switch (scene.Random.Next(3))
        {
            case 0:
                await scene.ConnectAsync(scene.Random.Next(2));
                break;
            case 1:
                await scene.DropAndResumeAsync(live[scene.Random.Next(live.Length)]);
                break;
            default:
                // Never the first two: they stay to the end (the stalling one is not in the list).
                if (live.Length > 2) await scene.LeaveAsync(live[2 + scene.Random.Next(live.Length - 2)]);
                else await scene.ConnectAsync(scene.Random.Next(2));
                break;
        }
    }

    /// <summary>Stalls the shard's live connection. The 500 ms heartbeat this fault runs with can make a loaded box drop
    /// and resume a connection on its own at any time, so the connection is looked up again if it went in between.</summary>
    private static async Task StallCurrentConnectionAsync(DiscordSimulator sim, int shard)
    {
        for (int attempt = 0; ; attempt++)
        {
            await sim.WaitForSessionAsync(shard).WaitAsync(ProxyFixture.WaitLimit);
            try
            {
                sim.SetStalled(shard, true);
                return;
            }
            catch (InvalidOperationException) when (attempt < 20)
            {
                // The connection ended between the wait and the stall: wait for its successor.
            }
        }
    }

    private static async Task InjectAsync(FaultScene scene, Fault fault, int shard)
    {
        DiscordSimulator sim = scene.Simulator;
        int resumes = sim.ResumeCount;
        int identifies = sim.IdentifyCount;
        switch (fault)
        {
            case Fault.DropMidFrame:
            case Fault.GatewayBot5xxAtStart:
                // Cut at a seeded byte of a 39-byte frame (header or payload), now and then between frames.
                await sim.DropConnectionAsync(shard, midFrame: scene.Random.Next(4) != 0, cutAt: scene.Random.Next(1, 39));
                await scene.WaitUntilAsync(() => sim.ResumeCount > resumes, "a RESUME after the drop");
                break;
            case Fault.ReconnectDuringBurst:
                sim.InterruptNextBurst(shard, scene.Random.Next(1, 4), BurstFault.Reconnect);
                await sim.SendInvalidSessionAsync(shard, resumable: false);
                await scene.WaitUntilAsync(() => sim.IdentifyCount > identifies && sim.ResumeCount > resumes, "a re-IDENTIFY, then a RESUME after op 7 mid-burst");
                break;
            case Fault.InvalidSessionDuringBurst:
                sim.InterruptNextBurst(shard, scene.Random.Next(1, 4), BurstFault.InvalidSession);
                await sim.SendInvalidSessionAsync(shard, resumable: false);
                await scene.WaitUntilAsync(() => sim.IdentifyCount > identifies + 1, "two re-IDENTIFYs: after op 9, and after op 9 mid-burst");
                break;
            case Fault.Zombie:
                await StallCurrentConnectionAsync(sim, shard);
                await scene.EmitAsync(shard, scene.Random.Next(1, 10));
                await scene.WaitUntilAsync(() => sim.ResumeCount > resumes, "a RESUME after the proxy found the connection a zombie");
                break;
            case Fault.SimulatorRestart:
                // What the old Simulator sent must be in the ring first: a restart forgets what was never delivered.
                await scene.WaitCaughtUpAsync(0);
                await scene.WaitCaughtUpAsync(1);
                await scene.Fixture.RestartSimulatorAsync();
                sim = scene.Simulator;
                await scene.WaitUntilAsync(() => sim.IdentifyCount >= 2, "both shards to identify with the new Simulator");
                break;
        }

        await scene.Simulator.WaitForSessionAsync(0);
        await scene.Simulator.WaitForSessionAsync(1);
    }
}
