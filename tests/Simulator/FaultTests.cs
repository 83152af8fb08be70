using GatewayProxy.Tests.Support;
using Xunit;

namespace GatewayProxy.Tests.Simulator;

/// <summary>Faults injected through the simulator's API reach the client as Discord would send them.</summary>
public sealed class FaultTests
{
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Invalid_session_is_sent_with_its_resumable_flag(bool resumable)
    {
        await using var simulator = await SimulatorClients.StartAsync();
        await using var client = await SimulatorClients.ConnectIdentifiedAsync(simulator, 0);
        await simulator.SendInvalidSessionAsync(0, resumable);
        var message = await client.Client.ReceiveAsync();
        Assert.Equal(9, message.Op);
        Assert.Equal(resumable, message.Data.GetBoolean());

        // The same connection may identify again.
        await client.Client.IdentifyAsync(simulator.Options.Token, 0, 2, 1);
        Assert.Equal("READY", (await client.Client.ReceiveAsync()).Type);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Dropped_connection_ends_without_a_close_frame_and_stays_resumable(bool midFrame)
    {
        await using var simulator = await SimulatorClients.StartAsync();
        var first = await SimulatorClients.ConnectIdentifiedAsync(simulator, 0);
        var seq = first.Client.LastSeq!.Value;
        await simulator.DropConnectionAsync(0, midFrame);
        Assert.Null(await first.Client.ReceiveCloseAsync());
        await first.DisposeAsync();

        await using var second = await RawGatewayClient.ConnectAsync(simulator.GatewayUrl);
        await second.ReceiveAsync();
        await second.ResumeAsync(simulator.Options.Token, first.SessionId, seq);
        Assert.Equal("RESUMED", (await second.ReceiveAsync()).Type);
    }

    [Theory]
    [InlineData(4000)]
    [InlineData(4007)]
    [InlineData(4900)]
    [InlineData(1001)]
    public async Task Close_with_any_code_reaches_the_client(int code)
    {
        await using var simulator = await SimulatorClients.StartAsync();
        await using var client = await SimulatorClients.ConnectIdentifiedAsync(simulator, 1);
        await simulator.CloseConnectionAsync(1, (ushort)code, "test close");
        Assert.Equal((ushort)code, await client.Client.ReceiveCloseAsync());
        Assert.Equal("test close", client.Client.CloseReceived!.Value.Reason);
    }

    [Fact]
    public async Task Stalled_connection_answers_no_heartbeat_and_sends_nothing_until_released()
    {
        await using var simulator = await SimulatorClients.StartAsync();
        await using var client = await SimulatorClients.ConnectIdentifiedAsync(simulator, 0);
        var handled = simulator.GetReceivedCommands().Count;
        simulator.SetStalled(0, true);
        await client.Client.HeartbeatAsync();
        await simulator.WaitForReceivedCommandsAsync(handled + 1);
        await simulator.EmitEventsAsync(0, 2);
        simulator.SetStalled(0, false);

        // The heartbeat sent while stalled was never acknowledged; the held events come out in order.
        var a = await client.Client.ReceiveAsync();
        var b = await client.Client.ReceiveAsync();
        Assert.Equal(0, a.Op);
        Assert.Equal(0, b.Op);
        Assert.Equal(a.Seq + 1, b.Seq);
        await client.Client.HeartbeatAsync();
        Assert.Equal(11, (await client.Client.ReceiveAsync()).Op);
    }

    [Fact]
    public async Task Fault_on_a_shard_without_a_connection_says_so()
    {
        await using var simulator = await SimulatorClients.StartAsync();
        var e = await Assert.ThrowsAsync<InvalidOperationException>(() => simulator.SendReconnectAsync(1));
        Assert.Contains("shard 1", e.Message, StringComparison.Ordinal);
    }
}
