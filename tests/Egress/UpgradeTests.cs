using GatewayProxy.Tests.Egress.Support;
using GatewayProxy.Tests.Support;
using Xunit;

namespace GatewayProxy.Tests.Egress;

/// <summary>The 101 response is sent on its own, apart from HELLO (docs/configuration.md, "The upgrade").</summary>
public sealed class UpgradeTests
{
    /// <summary>A client that reads the 101 and drops whatever else came in that read (as some libraries do) still gets
    /// HELLO and reaches READY. Each attempt knows whether its read held more than the 101; when the proxy writes both in
    /// one send, every attempt does, so the test fails. A few attempts allow for a reader woken late on a busy host.</summary>
    [Fact]
    public async Task A_client_that_drops_what_came_with_the_101_still_gets_hello_and_ready()
    {
        await using EgressTestServer server = EgressTestServer.Start();
        var dropped = new List<long>();
        for (int attempt = 0; attempt < 5; attempt++)
        {
            await using RawGatewayClient client = await RawGatewayClient.ConnectAsync(server.Url, dropAfterUpgrade: true);
            if (client.BytesDroppedAfterUpgrade > 0)
            {
                dropped.Add(client.BytesDroppedAfterUpgrade);
                continue;
            }

            GatewayMessage hello = await client.ReceiveAsync();
            Assert.Equal(10, hello.Op);
            await client.IdentifyAsync(EgressTestServer.Token, 0, 1, 513);
            GatewayMessage ready = await client.ReceiveAsync();
            Assert.Equal(("READY", 1L), (ready.Type, ready.Seq!.Value));
            return;
        }

        Assert.Fail($"every read of the 101 also held more bytes ({string.Join(", ", dropped)}): HELLO came with the 101");
    }

    [Fact]
    public async Task Without_a_hello_delay_hello_still_follows_the_101()
    {
        await using EgressTestServer server = EgressTestServer.Start(o => o.HelloDelay = TimeSpan.Zero);
        await using RawGatewayClient client = await RawGatewayClient.ConnectAsync(server.Url);
        Assert.Equal(10, (await client.ReceiveAsync()).Op);
    }
}
