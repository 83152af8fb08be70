using System.Text;
using GatewayProxy.Cache;
using Xunit;

namespace GatewayProxy.Tests.Ingress.State;

/// <summary>Compares two cache snapshots by what clients would get from them.</summary>
internal static class CacheAssert
{
    /// <summary>Same bot user, application, guild ids and availability, and byte-identical GUILD_CREATEs for several client kinds.</summary>
    public static void SameContent(CacheSnapshot expected, CacheSnapshot actual)
    {
        Assert.Equal(expected.BotUserJson.ToArray(), actual.BotUserJson.ToArray());
        Assert.Equal(expected.ApplicationJson.ToArray(), actual.ApplicationJson.ToArray());
        Assert.Equal(expected.BotUserId, actual.BotUserId);
        Assert.Equal(expected.GuildIds.ToArray(), actual.GuildIds.ToArray());
        GuildCreateOptions[] clients =
        [
            new(250, GuildPresencesIntent: true, GuildMembersIntent: true, 0),
            new(50, GuildPresencesIntent: true, GuildMembersIntent: true, 0),
            new(50, GuildPresencesIntent: false, GuildMembersIntent: false, 0),
        ];
        foreach (ulong id in expected.GuildIds)
        {
            Assert.Equal(expected.IsUnavailable(id), actual.IsUnavailable(id));
            foreach (GuildCreateOptions client in clients)
            {
                var a = new System.Buffers.ArrayBufferWriter<byte>();
                var b = new System.Buffers.ArrayBufferWriter<byte>();
                Assert.Equal(expected.TryWriteGuildCreate(id, a, client), actual.TryWriteGuildCreate(id, b, client));
                if (!a.WrittenSpan.SequenceEqual(b.WrittenSpan))
                {
                    Assert.Fail($"guild {id} differs for {client}:\nexpected {Encoding.UTF8.GetString(a.WrittenSpan)}\nactual   {Encoding.UTF8.GetString(b.WrittenSpan)}");
                }
            }
        }
    }
}
