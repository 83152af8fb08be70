using GatewayProxy.Tests.Support;
using Xunit;

namespace GatewayProxy.Tests.Simulator;

/// <summary>RESUME replays exactly the missed dispatches, then RESUMED; bad resumes get op 9 false.</summary>
public sealed class ResumeTests
{
    [Fact]
    public async Task Resume_replays_exactly_the_missed_events_then_resumed()
    {
        await using var simulator = await SimulatorClients.StartAsync();
        var first = await SimulatorClients.ConnectIdentifiedAsync(simulator, 0);
        var lastSeen = first.Client.LastSeq!.Value;
        first.Client.Abort();
        await first.DisposeAsync();

        // Events happen while the client is away: they are sequenced into the session and buffered.
        var emitted = await simulator.EmitEventsAsync(0, 7);
        Assert.Equal(7, emitted);

        await using var second = await RawGatewayClient.ConnectAsync(simulator.GatewayUrl);
        Assert.Equal(10, (await second.ReceiveAsync()).Op);
        await second.ResumeAsync(simulator.Options.Token, first.SessionId, lastSeen);
        var (resumed, replayed) = await second.ReceiveUntilAsync(m => m.Type == "RESUMED");

        var missed = simulator.GetSentDispatches(0).Where(d => d.SessionId == first.SessionId && d.Seq > lastSeen && d.Type != "RESUMED").ToList();
        Assert.Equal(7, missed.Count);
        Assert.Equal(missed.Select(d => d.Seq), replayed.Select(m => m.Seq!.Value));
        Assert.Equal(missed.Select(d => Convert.ToHexString(d.Payload)), replayed.Select(m => Convert.ToHexString(m.Json)));
        Assert.Equal(lastSeen + 8, resumed.Seq);
        Assert.Equal(1, simulator.ResumeCount);

        // Live events continue the session's sequence.
        await simulator.EmitEventsAsync(0, 1);
        var next = await second.ReceiveAsync();
        Assert.Equal(lastSeen + 9, next.Seq);
    }

    [Fact]
    public async Task Resume_from_an_older_seq_replays_from_there()
    {
        await using var simulator = await SimulatorClients.StartAsync();
        var first = await SimulatorClients.ConnectIdentifiedAsync(simulator, 1);
        await simulator.EmitEventsAsync(1, 5);
        for (var i = 0; i < 5; i++)
        {
            await first.Client.ReceiveAsync();
        }

        var total = first.Client.LastSeq!.Value;
        await first.Client.CloseAsync(4000, "going to resume");
        Assert.Equal((ushort)4000, await first.Client.ReceiveCloseAsync());
        await first.DisposeAsync();

        await using var second = await RawGatewayClient.ConnectAsync(simulator.GatewayUrl);
        await second.ReceiveAsync();
        await second.ResumeAsync(simulator.Options.Token, first.SessionId, 2);
        var (_, replayed) = await second.ReceiveUntilAsync(m => m.Type == "RESUMED");

        // READY (seq 1) is never replayed; everything after seq 2 is, in order.
        Assert.Equal(Enumerable.Range(3, (int)total - 2).Select(i => (long)i), replayed.Select(m => m.Seq!.Value));
    }

    [Fact]
    public async Task Resume_with_an_unknown_session_gets_invalid_session_false()
    {
        await using var simulator = await SimulatorClients.StartAsync();
        await using var client = await RawGatewayClient.ConnectAsync(simulator.GatewayUrl);
        await client.ReceiveAsync();
        await client.ResumeAsync(simulator.Options.Token, "0123456789abcdef0123456789abcdef", 1);
        var answer = await client.ReceiveAsync();
        Assert.Equal(9, answer.Op);
        Assert.False(answer.Data.GetBoolean());
    }

    [Fact]
    public async Task Resume_with_a_seq_ahead_of_the_session_gets_invalid_session_false_and_ends_it()
    {
        await using var simulator = await SimulatorClients.StartAsync();
        var first = await SimulatorClients.ConnectIdentifiedAsync(simulator, 0);
        var ahead = first.Client.LastSeq!.Value + 10;
        first.Client.Abort();
        await first.DisposeAsync();

        await using var second = await RawGatewayClient.ConnectAsync(simulator.GatewayUrl);
        await second.ReceiveAsync();
        await second.ResumeAsync(simulator.Options.Token, first.SessionId, ahead);
        var answer = await second.ReceiveAsync();
        Assert.Equal(9, answer.Op);
        Assert.False(answer.Data.GetBoolean());

        // The session is gone: a correct seq no longer works either.
        await using var third = await RawGatewayClient.ConnectAsync(simulator.GatewayUrl);
        await third.ReceiveAsync();
        await third.ResumeAsync(simulator.Options.Token, first.SessionId, 1);
        Assert.Equal(9, (await third.ReceiveAsync()).Op);
    }

    [Fact]
    public async Task A_client_close_with_1000_ends_the_session()
    {
        await using var simulator = await SimulatorClients.StartAsync();
        var first = await SimulatorClients.ConnectIdentifiedAsync(simulator, 0);
        var seq = first.Client.LastSeq!.Value;
        await first.Client.CloseAsync(1000, "bye");
        await first.Client.ReceiveCloseAsync();
        await first.DisposeAsync();

        await using var second = await RawGatewayClient.ConnectAsync(simulator.GatewayUrl);
        await second.ReceiveAsync();
        await second.ResumeAsync(simulator.Options.Token, first.SessionId, seq);
        var answer = await second.ReceiveAsync();
        Assert.Equal(9, answer.Op);
        Assert.False(answer.Data.GetBoolean());
    }

    [Fact]
    public async Task Reconnect_then_resume_keeps_the_sequence()
    {
        await using var simulator = await SimulatorClients.StartAsync();
        var first = await SimulatorClients.ConnectIdentifiedAsync(simulator, 0);
        await simulator.SendReconnectAsync(0);
        var reconnect = await first.Client.ReceiveAsync();
        Assert.Equal(7, reconnect.Op);
        var seq = first.Client.LastSeq!.Value;
        await first.Client.CloseAsync(4901, "reconnect");
        await first.Client.ReceiveCloseAsync();
        await first.DisposeAsync();

        await using var second = await RawGatewayClient.ConnectAsync(new Uri(first.Ready.Data.GetProperty("resume_gateway_url").GetString()!));
        await second.ReceiveAsync();
        await second.ResumeAsync(simulator.Options.Token, first.SessionId, seq);
        var resumed = await second.ReceiveAsync();
        Assert.Equal("RESUMED", resumed.Type);
        Assert.Equal(seq + 1, resumed.Seq);
    }
}
