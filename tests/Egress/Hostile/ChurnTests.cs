using System.Net;
using System.Net.Sockets;
using GatewayProxy.Tests.Support;
using Xunit;

namespace GatewayProxy.Tests.Egress.Hostile;

/// <summary>10 000 connections opened and dropped at every stage of their life: afterwards the proxy holds no connection,
/// client or session of theirs, and the well-behaved client saw every event.</summary>
public sealed class ChurnTests
{
    private const int Total = 10_000;
    private const int Batch = 100;

    [Fact]
    public async Task Ten_thousand_connections_opened_and_dropped_leave_nothing_behind_and_cost_the_good_client_nothing()
    {
        await using HostileScene scene = await HostileScene.StartAsync(o =>
        {
            // Loopback is one IP: the per-IP limit is its own test. Dropped sessions expire at once so the count can reach zero.
            o.MaxConnectionsPerIp = 1_000_000;
            o.SessionTtl = TimeSpan.FromMilliseconds(1);
            o.HandshakeTimeout = TimeSpan.FromSeconds(5);
            o.CloseTimeout = TimeSpan.FromSeconds(2);
        });
        IPEndPoint endPoint = scene.Proxy.LocalEndPoint;
        string identify = IdentifyJson();
        using var budget = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        var tasks = new Task[Batch];
        for (int done = 0; done < Total; done += Batch)
        {
            Assert.False(budget.IsCancellationRequested, $"churn took longer than its budget after {done} connections");
            for (int i = 0; i < Batch; i++) tasks[i] = OneAsync((done + i) % 4, endPoint, scene.Server.Url, identify);
            await Task.WhenAll(tasks);
            scene.Publish(2);
        }

        await scene.AssertGoodClientSawEveryEventAsync();
        await scene.AssertOnlyTheGoodClientIsLeftAsync();
    }

    private static async Task OneAsync(int kind, IPEndPoint endPoint, Uri url, string identify)
    {
        switch (kind)
        {
            case 0:
                // TCP connect and reset.
                using (RawHttpSocket socket = await RawHttpSocket.ConnectAsync(endPoint)) socket.Abort();
                return;
            case 1:
                // Half a handshake, then gone.
                using (RawHttpSocket socket = await RawHttpSocket.ConnectAsync(endPoint))
                {
                    await socket.SendAsync("GET /?v=10&encoding=json HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\n");
                    socket.Abort();
                }

                return;
            case 2:
                // A full upgrade, dropped without a close frame.
                await using (RawGatewayClient client = await RawGatewayClient.ConnectAsync(url)) client.Abort();
                return;
            default:
                // IDENTIFY sent, dropped before (or while) READY arrives: the session start races the teardown.
                await using (RawGatewayClient client = await RawGatewayClient.ConnectAsync(url))
                {
                    await client.SendAsync(identify);
                    client.Abort();
                }

                return;
        }
    }

    private static string IdentifyJson() =>
        "{\"op\":2,\"d\":{\"token\":\"" + Support.EgressTestServer.Token + "\",\"properties\":{\"os\":\"linux\",\"browser\":\"churn\",\"device\":\"churn\"},\"shard\":[0,1],\"intents\":513}}";
}
