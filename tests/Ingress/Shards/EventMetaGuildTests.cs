using System.Text;
using GatewayProxy.Ingress.Shards;
using GatewayProxy.Protocol.Events;
using GatewayProxy.Protocol.Gateway;
using Xunit;

namespace GatewayProxy.Tests.Ingress.Shards;

/// <summary>The guild id ingress records for events gated by a guild or a DM intent (per-client intent filtering needs it).</summary>
public sealed class EventMetaGuildTests
{
    [Theory]
    [InlineData("""{"t":"TYPING_START","s":1,"op":0,"d":{"channel_id":"1","guild_id":"4194304","user_id":"3","member":{"roles":[]}}}""", 4194304UL)]
    [InlineData("""{"t":"TYPING_START","s":1,"op":0,"d":{"channel_id":"1","user_id":"3","timestamp":1}}""", 0UL)]
    [InlineData("""{"t":"MESSAGE_REACTION_ADD","s":1,"op":0,"d":{"user_id":"3","member":{"user":{"id":"3"},"guild_id":"9"},"emoji":{"name":"x"},"guild_id":"8388608"}}""", 8388608UL)]
    [InlineData("""{"t":"MESSAGE_REACTION_REMOVE_ALL","s":1,"op":0,"d":{"channel_id":"1","message_id":"2"}}""", 0UL)]
    [InlineData("""{"t":"CHANNEL_PINS_UPDATE","s":1,"op":0,"d":{"guild_id":"12","channel_id":"1"}}""", 12UL)]
    [InlineData("""{"t":"MESSAGE_DELETE","s":1,"op":0,"d":{"id":"5","channel_id":"6","guild_id":"77"}}""", 77UL)]
    [InlineData("""{"t":"MESSAGE_POLL_VOTE_ADD","s":1,"op":0,"d":{"user_id":"1","channel_id":"2","message_id":"3","answer_id":1}}""", 0UL)]
    [InlineData("""{"t":"VOICE_SERVER_UPDATE","s":1,"op":0,"d":{"token":"a","guild_id":"41943040","endpoint":"x.discord.media:443"}}""", 41943040UL)]
    public void Guild_or_dm_gated_events_and_voice_server_updates_carry_their_top_level_guild_id(string json, ulong guildId)
    {
        byte[] payload = Encoding.UTF8.GetBytes(json);
        Assert.True(EnvelopeScanner.TryScan(payload, out Envelope envelope, out _));
        EventMeta meta = UpstreamReceiver.BuildMeta(payload, in envelope);
        Assert.Equal(guildId, meta.GuildId);
    }
}
