using GatewayProxy.Egress.Metrics;
using GatewayProxy.Tests.Egress.Support;
using GatewayProxy.Tests.Support;
using Prometheus;
using Xunit;

namespace GatewayProxy.Tests.Egress.Hostile;

/// <summary>The per-IP connection limit (HTTP 429) and the unauthenticated lifetime (4003).</summary>
public sealed class ConnectionLimitTests
{
    [Fact]
    public async Task A_connection_over_the_per_ip_limit_gets_429_with_a_reason_and_a_metric_and_a_freed_slot_is_reusable()
    {
        await using HostileScene scene = await HostileScene.StartAsync(o => o.MaxConnectionsPerIp = 3);
        await using RawGatewayClient second = await scene.Server.ConnectAsync();
        RawGatewayClient third = await scene.Server.ConnectAsync();
        scene.Publish(10);

        HandshakeRejectedException refused = await Assert.ThrowsAsync<HandshakeRejectedException>(() => RawGatewayClient.ConnectAsync(scene.Server.Url));
        Assert.Equal(429, refused.Status);
        Assert.Contains("too many connections from 127.0.0.1: at most 3 per IP address", refused.Response, StringComparison.Ordinal);
        Assert.Equal(1, scene.Proxy.RefusedCount(RefusalReason.PerIpLimit));
        Assert.Contains("gateway_connections_refused_total{reason=\"per_ip_limit\"} 1", await MetricsText.ScrapeAsync(scene.Server.Registry), StringComparison.Ordinal);

        // A refused connection holds no slot; a closed one frees its slot.
        await HostileScene.WaitUntilAsync(() => scene.Proxy.OpenConnections == 3, () => $"{scene.Proxy.OpenConnections} open, wanted 3");
        await third.CloseAsync(1000);
        await third.DisposeAsync();
        await HostileScene.WaitUntilAsync(() => scene.Proxy.OpenConnections == 2, () => $"{scene.Proxy.OpenConnections} open, wanted 2");
        await using RawGatewayClient again = await scene.Server.ConnectAsync();
        scene.Publish(10);
        await scene.AssertGoodClientSawEveryEventAsync();
    }

    [Fact]
    public async Task A_connection_that_only_heartbeats_is_closed_with_4003_at_the_unauthenticated_deadline_an_identified_one_is_not()
    {
        await using HostileScene scene = await HostileScene.StartAsync();
        // Read per connection: from here on, new connections get 3 s to authenticate (the good client is already in).
        scene.Server.Options.UnauthenticatedTimeout = TimeSpan.FromSeconds(3);
        await using IdentifiedTestClient inTime = await scene.Server.IdentifyAsync();
        await using RawGatewayClient idler = await scene.Server.ConnectAsync();
        scene.Publish(10);

        // Heartbeats are answered but do not buy time: only IDENTIFY or RESUME does.
        await idler.HeartbeatAsync();
        Assert.Equal(11, (await idler.ReceiveAsync(HostileScene.WaitLimit)).Op);
        Assert.Equal((ushort)4003, await idler.ReceiveCloseAsync(HostileScene.WaitLimit));
        Assert.Contains("not authenticated within 3 s", idler.CloseReceived!.Value.Reason, StringComparison.Ordinal);
        // Counted at teardown, which runs after the close frame went out.
        await HostileScene.WaitUntilAsync(() => scene.Proxy.DisconnectCount(ClientDisconnectReason.AuthenticationTimeout) >= 1,
            () => $"authentication-timeout disconnects {scene.Proxy.DisconnectCount(ClientDisconnectReason.AuthenticationTimeout)}, wanted 1");
        Assert.Equal(1, scene.Proxy.DisconnectCount(ClientDisconnectReason.AuthenticationTimeout));

        // The identified client connected earlier, so its deadline has passed too: it is still served.
        scene.Publish(10);
        await inTime.Client.HeartbeatAsync();
        GatewayMessage next = await inTime.Client.ReceiveAsync(HostileScene.WaitLimit);
        Assert.True(next.Op is 0 or 11, $"expected events or an ACK, got {next}");
        await scene.AssertGoodClientSawEveryEventAsync();
    }

    [Fact]
    public async Task The_unauthenticated_deadline_also_bounds_the_http_handshake()
    {
        // A handshake timeout that would never fire: only the unauthenticated deadline can end this connection.
        await using HostileScene scene = await HostileScene.StartAsync(o =>
        {
            o.HandshakeTimeout = TimeSpan.FromHours(1);
            o.CloseTimeout = TimeSpan.FromMilliseconds(500);
        });
        scene.Server.Options.UnauthenticatedTimeout = TimeSpan.FromMilliseconds(500);
        using RawHttpSocket socket = await RawHttpSocket.ConnectAsync(scene.Proxy.LocalEndPoint);
        await socket.SendAsync("GET /?v=10 HTTP/1.1\r\nHost: x\r\n");
        Assert.Equal(string.Empty, await socket.ReadToEndAsync());
        Assert.Equal(1, scene.Proxy.RefusedCount(RefusalReason.HandshakeTimeout));
        await scene.AssertOnlyTheGoodClientIsLeftAsync();
    }
}
