using System.Text.Json.Nodes;
using GatewayProxy.Cache;
using Xunit;
using static GatewayProxy.Tests.Cache.CacheTestKit;

namespace GatewayProxy.Tests.Ingress.State;

/// <summary>A cache saved for the state file and restored gives clients the same GUILD_CREATEs, byte for byte.</summary>
public sealed class CacheRoundTripTests
{
    [Theory]
    [InlineData(10, 20)]
    [InlineData(60, 30)]
    [InlineData(300, 200)]
    public void A_restored_cache_writes_the_same_guild_creates_as_the_one_saved(int members, int added)
    {
        ShardCache cache = ReadyCache();
        var initial = new JsonObject[members];
        for (int i = 0; i < members; i++)
        {
            initial[i] = Member(1 + (ulong)i, i % 4 == 0 ? "nick" : null);
        }

        cache.Dispatch("GUILD_CREATE", Guild(members: initial, presences: [Presence(1, "online")]), 2);
        long position = 3;
        for (int i = 0; i < added; i++)
        {
            cache.Dispatch("GUILD_MEMBER_ADD", new JsonObject { ["guild_id"] = GuildId.ToString(), ["user"] = User(10_000 + (ulong)i), ["roles"] = new JsonArray() }, position++);
            cache.Dispatch("PRESENCE_UPDATE", new JsonObject { ["guild_id"] = GuildId.ToString(), ["user"] = new JsonObject { ["id"] = (10_000 + i).ToString() }, ["status"] = "online", ["activities"] = new JsonArray(), ["client_status"] = new JsonObject() }, position++);
        }

        cache.Dispatch("GUILD_MEMBER_REMOVE", new JsonObject { ["guild_id"] = GuildId.ToString(), ["user"] = User(2) }, position++);
        cache.Dispatch("GUILD_MEMBER_UPDATE", new JsonObject { ["guild_id"] = GuildId.ToString(), ["user"] = User(3, "renamed"), ["nick"] = "n", ["roles"] = new JsonArray() }, position);

        CacheSnapshot saved = cache.Snapshot();
        var restored = new ShardCache(0, CacheOptions.All());
        Assert.Equal(1, restored.Restore(saved.ToSaved()));
        CacheAssert.SameContent(saved, restored.Snapshot());
    }
}
