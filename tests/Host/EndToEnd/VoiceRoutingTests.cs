using System.Text.Json;
using GatewayProxy.Simulator;
using GatewayProxy.Tests.Support;
using Xunit;

namespace GatewayProxy.Tests.Host.EndToEnd;

/// <summary>Voice through the proxy: the Simulator answers op 4 like Discord (VOICE_STATE_UPDATE to the session,
/// VOICE_SERVER_UPDATE to the session that asked); the proxy gives the VOICE_SERVER_UPDATE to the client that sent op 4
/// and the VOICE_STATE_UPDATE to every client (docs/configuration.md, "Replies").</summary>
public sealed class VoiceRoutingTests
{
    [Fact]
    public async Task Two_clients_on_one_shard_only_the_one_that_sent_op_4_gets_voice_server_update_both_get_voice_state_update()
    {
        // The proxy's intents include GUILD_VOICE_STATES, else Discord (and the Simulator) sends no VOICE_STATE_UPDATE.
        await using ProxyFixture fixture = await ProxyFixture.StartAsync(intents: 33539 | 128);
        await using ProxyClient a = await fixture.ConnectIdentifiedAsync(0);
        await using ProxyClient b = await fixture.ConnectIdentifiedAsync(0);
        JsonElement guild = a.Guilds[0].Data;
        string guildId = guild.GetProperty("id").GetString()!;
        string voice = guild.GetProperty("channels").EnumerateArray().First(c => c.GetProperty("type").GetInt32() == 2).GetProperty("id").GetString()!;
        int before = fixture.LiveDispatches(0).Count;

        await b.Client.SendAsync($"{{\"op\":4,\"d\":{{\"guild_id\":\"{guildId}\",\"channel_id\":\"{voice}\",\"self_mute\":false,\"self_deaf\":false}}}}");
        List<GatewayMessage> gotB = await b.ReceiveDispatchesAsync(2);
        Assert.Equal(["VOICE_STATE_UPDATE", "VOICE_SERVER_UPDATE"], gotB.Select(m => m.Type));
        Assert.Equal(fixture.Simulator.State.BotUserId, gotB[0].Data.GetProperty("user_id").GetString());
        Assert.Equal(guildId, gotB[1].Data.GetProperty("guild_id").GetString());
        Assert.False(string.IsNullOrEmpty(gotB[1].Data.GetProperty("token").GetString()));
        Assert.False(string.IsNullOrEmpty(gotB[1].Data.GetProperty("endpoint").GetString()));

        // Events after the reply: a sees the voice state and then these, never the VOICE_SERVER_UPDATE between them.
        await fixture.Simulator.EmitEventsAsync(0, 3);
        await b.ReceiveDispatchesAsync(3);
        List<SentDispatch> sent = fixture.LiveDispatches(0).Skip(before).ToList();
        Assert.Equal(5, sent.Count);
        Assert.Equal("VOICE_SERVER_UPDATE", sent[1].Type);
        List<GatewayMessage> gotA = await a.ReceiveDispatchesAsync(4);
        ProxyFixture.AssertRelayed([sent[0], .. sent.Skip(2)], gotA, firstSeq: a.Guilds.Count + 2);
    }
}
