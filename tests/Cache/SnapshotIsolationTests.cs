using System.Text.Json.Nodes;
using GatewayProxy.Cache;
using Xunit;
using static GatewayProxy.Tests.Cache.CacheTestKit;

namespace GatewayProxy.Tests.Cache;

/// <summary>A snapshot never changes, however the cache is updated after it (the copy-on-write contract).</summary>
public sealed class SnapshotIsolationTests
{
    private const ulong OtherGuild = 101;

    private static readonly GuildCreateOptions[] Clients =
    [
        AllIntents(),
        AllIntents(largeThreshold: 5),
        new(250, GuildPresencesIntent: false, GuildMembersIntent: false, BotId),
        new(int.MaxValue, GuildPresencesIntent: true, GuildMembersIntent: true, BotId) { Complete = true },
    ];

    [Fact]
    public void Guild_creates_from_a_snapshot_stay_byte_identical_while_many_updates_follow()
    {
        ShardCache cache = ReadyCache(null, GuildId, OtherGuild);
        cache.Dispatch("GUILD_CREATE", Guild(members: Members(1, 20), presences: [Presence(1, "online"), Presence(2, "idle")], voiceStates: [VoiceState(1, 10)]), 2);
        cache.Dispatch("GUILD_CREATE", Guild(OtherGuild, members: Members(1, 5)), 3);
        long position = 4;
        CacheSnapshot first = cache.Snapshot();
        byte[][] firstCreates = WriteAll(first, GuildId);
        string firstContent = CacheContent.Describe(first);

        CacheSnapshot? middle = null;
        string? middleContent = null;
        byte[][]? middleCreates = null;
        for (int round = 0; round < 40; round++)
        {
            ApplyRound(cache, round, ref position);
            if (round == 20)
            {
                middle = cache.Snapshot();
                middleContent = CacheContent.Describe(middle);
                middleCreates = WriteAll(middle, GuildId);
            }
        }

        // The updates did change the cache, so an unchanged snapshot is the copy-on-write at work, not a no-op.
        Assert.NotEqual(firstContent, CacheContent.Describe(cache.Snapshot()));
        Assert.NotEqual(firstContent, middleContent);
        Assert.Equal(firstContent, CacheContent.Describe(first));
        Assert.Equal(middleContent, CacheContent.Describe(middle!));
        for (int i = 0; i < Clients.Length; i++)
        {
            Assert.Equal(firstCreates[i], WriteGuildCreateBytes(first, GuildId, Clients[i]));
            Assert.Equal(middleCreates![i], WriteGuildCreateBytes(middle!, GuildId, Clients[i]));
        }
    }

    [Fact]
    public void A_snapshot_keeps_guilds_the_cache_later_deletes_or_loses()
    {
        ShardCache cache = ReadyCache(null, GuildId, OtherGuild);
        cache.Dispatch("GUILD_CREATE", Guild(members: Members(1, 3)), 2);
        cache.Dispatch("GUILD_CREATE", Guild(OtherGuild, members: Members(1, 3)), 3);
        CacheSnapshot before = cache.Snapshot();
        string content = CacheContent.Describe(before);

        cache.Dispatch("GUILD_DELETE", """{"id":"100"}""", 4);
        cache.Dispatch("GUILD_DELETE", """{"id":"101","unavailable":true}""", 5);
        cache.Dispatch("USER_UPDATE", """{"id":"900","username":"renamed","discriminator":"0","bot":true}""", 6);

        CacheSnapshot after = cache.Snapshot();
        Assert.False(after.ContainsGuild(GuildId));
        Assert.True(after.IsUnavailable(OtherGuild));
        Assert.Equal(content, CacheContent.Describe(before));
        Assert.True(before.ContainsGuild(GuildId));
        Assert.False(before.IsUnavailable(OtherGuild));
    }

    [Fact]
    public void A_guild_back_from_an_outage_reuses_only_buffers_no_snapshot_can_see()
    {
        ShardCache cache = ReadyCache();
        cache.Dispatch("GUILD_CREATE", Guild(members: Members(1, 30), presences: [Presence(1, "online")]), 2);
        long position = 3;
        for (int round = 0; round < 3; round++)
        {
            ApplyRound(cache, round, ref position);
        }

        CacheSnapshot beforeOutage = cache.Snapshot();
        string beforeContent = CacheContent.Describe(beforeOutage);
        ApplyRound(cache, 3, ref position); // some buffers now belong to the epoch after the snapshot
        cache.Dispatch("GUILD_DELETE", """{"id":"100","unavailable":true}""", position++);
        CacheSnapshot duringOutage = cache.Snapshot();
        JsonObject back = Guild(members: Members(1, 30, nick: "back"), presences: [Presence(1, "idle")]);
        back["name"] = "back again";
        cache.Dispatch("GUILD_CREATE", back, position++);

        // The new content is exactly what a fresh cache builds from the same GUILD_CREATE...
        ShardCache fresh = ReadyCache();
        fresh.Dispatch("GUILD_CREATE", back, 2);
        Assert.Equal(CacheContent.Describe(fresh.Snapshot()), CacheContent.Describe(cache.Snapshot()));

        // ...and neither the snapshot before the outage nor the one during it changed.
        Assert.Equal(beforeContent, CacheContent.Describe(beforeOutage));
        Assert.True(duringOutage.IsUnavailable(GuildId));
        Assert.Equal(0, duringOutage.GetCount(GuildId, CacheEntityKind.Members));
    }

    private static void ApplyRound(ShardCache cache, int round, ref long position)
    {
        string g = GuildId.ToString();
        ulong user = 1 + (ulong)(round % 20);
        cache.Dispatch("GUILD_MEMBER_UPDATE", new JsonObject { ["guild_id"] = g, ["user"] = User(user, "name" + round), ["nick"] = "n" + round, ["roles"] = new JsonArray("30") }, position++);
        cache.Dispatch("PRESENCE_UPDATE", WithGuild(Presence(user, round % 3 == 0 ? "offline" : "dnd")), position++);
        cache.Dispatch("VOICE_STATE_UPDATE", WithGuild(VoiceState(user, round % 4 == 0 ? null : 11)), position++);
        cache.Dispatch("CHANNEL_UPDATE", WithGuild(Channel(10, "general-" + round)), position++);
        cache.Dispatch(round % 2 == 0 ? "CHANNEL_CREATE" : "CHANNEL_DELETE", WithGuild(Channel(12, "extra")), position++);
        cache.Dispatch("GUILD_ROLE_UPDATE", new JsonObject { ["guild_id"] = g, ["role"] = Role(30, "mod" + round, round) }, position++);
        cache.Dispatch("THREAD_UPDATE", new JsonObject { ["id"] = "20", ["guild_id"] = g, ["parent_id"] = "10", ["type"] = 11, ["name"] = "t" + round, ["thread_metadata"] = new JsonObject { ["archived"] = false } }, position++);
        cache.Dispatch("GUILD_EMOJIS_UPDATE", new JsonObject { ["guild_id"] = g, ["emojis"] = new JsonArray(new JsonObject { ["id"] = (40 + (round % 3)).ToString(), ["name"] = "e" + round }) }, position++);
        cache.Dispatch("GUILD_UPDATE", new JsonObject { ["id"] = g, ["name"] = "renamed " + round }, position++);
        cache.Dispatch("GUILD_MEMBER_ADD", new JsonObject { ["guild_id"] = g, ["user"] = User(500 + (ulong)round), ["roles"] = new JsonArray() }, position++);
        cache.Dispatch("GUILD_MEMBER_REMOVE", new JsonObject { ["guild_id"] = g, ["user"] = User(user) }, position++);
        cache.Dispatch("GUILD_MEMBERS_CHUNK", new JsonObject { ["guild_id"] = g, ["members"] = new JsonArray(Member(user, "back" + round)), ["presences"] = new JsonArray(Presence(user, "online")) }, position++);
        cache.Dispatch("STAGE_INSTANCE_UPDATE", new JsonObject { ["id"] = "60", ["guild_id"] = g, ["channel_id"] = "10", ["topic"] = "topic " + round }, position++);
        cache.Dispatch("GUILD_SOUNDBOARD_SOUNDS_UPDATE", new JsonObject { ["guild_id"] = g, ["soundboard_sounds"] = new JsonArray(new JsonObject { ["sound_id"] = "80", ["guild_id"] = g, ["name"] = "boom" + round }) }, position++);
        cache.Dispatch("THREAD_LIST_SYNC", new JsonObject { ["guild_id"] = g, ["channel_ids"] = new JsonArray("10"), ["threads"] = new JsonArray(new JsonObject { ["id"] = (21 + (round % 2)).ToString(), ["parent_id"] = "10", ["type"] = 11, ["name"] = "s" }) }, position++);
    }

    private static JsonObject WithGuild(JsonObject data)
    {
        data["guild_id"] = GuildId.ToString();
        return data;
    }

    private static JsonObject[] Members(int from, int to, string nick = "nick")
    {
        var members = new JsonObject[to - from + 1];
        for (int i = 0; i < members.Length; i++)
        {
            members[i] = Member((ulong)(from + i), i % 3 == 0 ? nick : null);
        }

        return members;
    }

    private static byte[][] WriteAll(CacheSnapshot snapshot, ulong guildId)
    {
        var creates = new byte[Clients.Length][];
        for (int i = 0; i < Clients.Length; i++)
        {
            creates[i] = WriteGuildCreateBytes(snapshot, guildId, Clients[i]);
        }

        return creates;
    }
}
