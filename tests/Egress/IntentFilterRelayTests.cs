using GatewayProxy.Tests.Egress.Support;
using GatewayProxy.Tests.Support;
using Xunit;

namespace GatewayProxy.Tests.Egress;

/// <summary>Per-client intents: a client gets only the dispatches its IDENTIFY asked for, with its sequence +1 over what it
/// gets, live and on a RESUME replay; another client on the same shard with every intent gets everything.</summary>
public sealed class IntentFilterRelayTests
{
    private const long GuildsOnly = 1;
    private const long Everything = (1L << 26) - 1;

    [Fact]
    public async Task A_guilds_only_client_gets_no_messages_while_an_all_intents_client_gets_everything_both_contiguous()
    {
        await using EgressTestServer server = EgressTestServer.Start();
        (RawGatewayClient narrowClient, _) = await IdentifyAsync(server, GuildsOnly);
        (RawGatewayClient wideClient, _) = await IdentifyAsync(server, Everything);
        await using RawGatewayClient narrow = narrowClient;
        await using RawGatewayClient wide = wideClient;

        string[] types = ["MESSAGE_CREATE", "GUILD_UPDATE", "TYPING_START", "MESSAGE_REACTION_ADD", "CHANNEL_CREATE", "PRESENCE_UPDATE", "MESSAGE_UPDATE"];
        const int Rounds = 20;
        for (int round = 0; round < Rounds; round++)
        {
            for (int t = 0; t < types.Length; t++) server.Feed.Publish(types[t], TestShardFeed.EventData((round * types.Length) + t));
        }

        // The wide client: every event, in order, sequence +1 after its READY burst (READY + 2 guilds = 3).
        for (int k = 0; k < Rounds * types.Length; k++)
        {
            GatewayMessage message = await wide.ReceiveAsync();
            Assert.Equal((types[k % types.Length], (long)k, 4L + k), (message.Type!, message.Data.GetProperty("n").GetInt64(), message.Seq!.Value));
        }

        // The narrow client: only GUILD_UPDATE and CHANNEL_CREATE (GUILDS), contiguous; a final GUILD_UPDATE proves nothing else was queued.
        server.Feed.Publish("GUILD_UPDATE", TestShardFeed.EventData(-1));
        long seq = 3;
        for (int k = 0; k < Rounds * types.Length; k++)
        {
            if (types[k % types.Length] is not ("GUILD_UPDATE" or "CHANNEL_CREATE")) continue;
            GatewayMessage message = await narrow.ReceiveAsync();
            Assert.Equal((types[k % types.Length], (long)k, ++seq), (message.Type!, message.Data.GetProperty("n").GetInt64(), message.Seq!.Value));
        }

        GatewayMessage last = await narrow.ReceiveAsync();
        Assert.Equal(("GUILD_UPDATE", -1L, seq + 1), (last.Type!, last.Data.GetProperty("n").GetInt64(), last.Seq!.Value));
    }

    [Fact]
    public async Task A_resume_replays_only_what_the_client_asked_for_with_the_same_sequence_numbers()
    {
        await using EgressTestServer server = EgressTestServer.Start();
        (RawGatewayClient first, string sessionId) = await IdentifyAsync(server, GuildsOnly);
        server.Feed.Publish("GUILD_UPDATE", TestShardFeed.EventData(0));
        GatewayMessage seen = await first.ReceiveAsync();
        Assert.Equal(4L, seen.Seq);
        first.Abort();
        await first.DisposeAsync();

        for (int k = 1; k <= 6; k++) server.Feed.Publish(k % 2 == 0 ? "CHANNEL_UPDATE" : "MESSAGE_CREATE", TestShardFeed.EventData(k));
        await using RawGatewayClient second = await server.ConnectAsync();
        await second.ResumeAsync(EgressTestServer.Token, sessionId, 4);
        foreach ((long n, long s) in new[] { (2L, 5L), (4L, 6L), (6L, 7L) })
        {
            GatewayMessage message = await second.ReceiveAsync();
            Assert.Equal(("CHANNEL_UPDATE", n, s), (message.Type!, message.Data.GetProperty("n").GetInt64(), message.Seq!.Value));
        }

        GatewayMessage resumed = await second.ReceiveAsync();
        Assert.Equal(("RESUMED", 8L), (resumed.Type!, resumed.Seq!.Value));
    }

    private static async Task<(RawGatewayClient Client, string SessionId)> IdentifyAsync(EgressTestServer server, long intents)
    {
        RawGatewayClient client = await server.ConnectAsync();
        await client.IdentifyAsync(EgressTestServer.Token, 0, 1, intents);
        GatewayMessage ready = await client.ReceiveAsync();
        Assert.Equal("READY", ready.Type);
        for (int i = 0; i < server.Feed.Guilds.Count; i++) Assert.Equal("GUILD_CREATE", (await client.ReceiveAsync()).Type);
        return (client, ready.Data.GetProperty("session_id").GetString()!);
    }
}
