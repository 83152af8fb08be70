using GatewayProxy.Tests.Egress.Support;
using Xunit;

namespace GatewayProxy.Tests.Support;

/// <summary>The test client itself: tests close it early and again when their scope ends.</summary>
public sealed class RawGatewayClientTests
{
    [Fact]
    public async Task DisposeAsync_is_idempotent_and_releases_the_connection()
    {
        await using EgressTestServer server = EgressTestServer.Start();
        RawGatewayClient client = await server.ConnectAsync();
        await client.DisposeAsync();
        await client.DisposeAsync();
        await Task.WhenAll(client.DisposeAsync().AsTask(), client.DisposeAsync().AsTask());

        // Polled: the proxy releases the connection at its teardown, after the socket went away.
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (server.Server.OpenConnections != 0)
        {
            Assert.False(limit.IsCancellationRequested, $"{server.Server.OpenConnections} connections still open");
            await Task.Delay(10, CancellationToken.None); // a poll interval, not a synchronization
        }
    }
}
