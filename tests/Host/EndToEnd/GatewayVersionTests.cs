using GatewayProxy.Simulator;
using GatewayProxy.Tests.Support;
using Xunit;

namespace GatewayProxy.Tests.Host.EndToEnd;

/// <summary>Gateway v9 is served like v10 (docs/configuration.md, "Gateway versions"); the refusal of other versions is in
/// Egress/HttpEndpointTests.</summary>
public sealed class GatewayVersionTests
{
    [Fact]
    public async Task A_v9_client_gets_ready_its_guilds_and_every_live_event()
    {
        await using ProxyFixture fixture = await ProxyFixture.StartAsync();
        await using ProxyClient client = await ProxyFixture.ConnectIdentifiedAsync(fixture.ProxyUrl, fixture.Token, shard: 0, fixture.ShardCount,
            pathAndQuery: "/?v=9&encoding=json");

        var expected = fixture.Simulator.State.GetGuildIds(0).Select(id => id.ToString(System.Globalization.CultureInfo.InvariantCulture)).Order().ToList();
        Assert.Equal(expected, client.Guilds.Select(g => g.Data.GetProperty("id").GetString()!).Order().ToList());

        int before = fixture.LiveDispatches(0).Count;
        await fixture.Simulator.EmitEventsAsync(0, 30);
        List<GatewayMessage> received = await client.ReceiveDispatchesAsync(30);
        List<SentDispatch> sent = fixture.LiveDispatches(0).Skip(before).ToList();
        ProxyFixture.AssertRelayed(sent, received, firstSeq: client.Guilds.Count + 2);
    }
}
