using System.Globalization;
using GatewayProxy.Egress;
using GatewayProxy.Tests.Egress.Support;
using GatewayProxy.Tests.Support;
using Xunit;

namespace GatewayProxy.Tests.Egress.Hostile;

/// <summary>A proxy server with one well-behaved client on shard 0 and a publisher of numbered events, so a hostile test
/// can check that nothing it did cost that client an event.</summary>
internal sealed class HostileScene : IAsyncDisposable
{
    /// <summary>How long any wait may take before the test fails (a guard, never a synchronisation).</summary>
    public static readonly TimeSpan WaitLimit = TimeSpan.FromSeconds(60);

    private long _published;

    private HostileScene(EgressTestServer server, IdentifiedTestClient good)
    {
        Server = server;
        Good = good;
    }

    public EgressTestServer Server { get; }

    /// <summary>The well-behaved client: identified on shard 0 before anything hostile happened.</summary>
    public IdentifiedTestClient Good { get; }

    public ProxyServer Proxy => Server.Server;

    public static async Task<HostileScene> StartAsync(Action<EgressOptions>? configure = null)
    {
        EgressTestServer server = EgressTestServer.Start(configure);
        try
        {
            IdentifiedTestClient good = await server.IdentifyAsync();
            return new HostileScene(server, good);
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    /// <summary>Publishes <paramref name="count"/> more numbered events on shard 0 (one caller at a time).</summary>
    public void Publish(int count)
    {
        for (int i = 0; i < count; i++)
        {
            Server.Feed.Publish("MESSAGE_CREATE", TestShardFeed.EventData(_published++));
        }
    }

    /// <summary>Publishes a last few events, then checks the good client got every event published, in order, each once,
    /// with client sequences rising by one from just after its guild burst; heartbeat ACKs aside, nothing else.</summary>
    public async Task AssertGoodClientSawEveryEventAsync()
    {
        Publish(5);
        long expectedSeq = Good.Guilds.Count + 2;
        for (long n = 0; n < _published; n++)
        {
            GatewayMessage message = await Good.Client.ReceiveAsync(WaitLimit);
            while (message.Op == 11) message = await Good.Client.ReceiveAsync(WaitLimit);
            Assert.True(message.Op == 0, $"event {n}: expected a dispatch, got {message}");
            Assert.True(message.Seq == expectedSeq, $"event {n}: s = {message.Seq}, wanted {expectedSeq}");
            long got = message.Data.GetProperty("n").GetInt64();
            Assert.True(got == n, $"event {n}: got event {got.ToString(CultureInfo.InvariantCulture)} (a gap or a duplicate)");
            expectedSeq++;
        }

        // Still alive and answered.
        await Good.Client.HeartbeatAsync();
        GatewayMessage ack = await Good.Client.ReceiveAsync(WaitLimit);
        Assert.Equal(11, ack.Op);
    }

    /// <summary>Polls (bounded) until only the good client's connection and session are left, and says what is left otherwise.</summary>
    public async Task AssertOnlyTheGoodClientIsLeftAsync()
    {
        await WaitUntilAsync(() => Proxy.OpenConnections == 1 && Proxy.ConnectedClients == 1 && Proxy.SessionCount == 1,
            () => $"open connections {Proxy.OpenConnections}, clients {Proxy.ConnectedClients}, sessions {Proxy.SessionCount}; wanted 1, 1, 1");
    }

    /// <summary>Polls a condition every few milliseconds until it holds; fails with <paramref name="what"/> after <see cref="WaitLimit"/>.</summary>
    public static Task WaitUntilAsync(Func<bool> condition, Func<string> what) => Poll.UntilAsync(condition, WaitLimit, what);

    public async ValueTask DisposeAsync()
    {
        await Good.DisposeAsync();
        await Server.DisposeAsync();
    }
}
