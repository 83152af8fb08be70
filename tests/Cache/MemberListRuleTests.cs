using System.Text.Json;
using System.Text.Json.Nodes;
using GatewayProxy.Cache;
using Xunit;
using static GatewayProxy.Tests.Cache.CacheTestKit;

namespace GatewayProxy.Tests.Cache;

/// <summary>Which members (and presences) a client's GUILD_CREATE holds, by intents, large_threshold and size.</summary>
public class MemberListRuleTests
{
    // Users: 1 online, 2 has a role, 3 has a nick, 4 in voice (offline), 5 plain offline, 6 idle; plus the bot.
    private static CacheSnapshot Mixed(int memberCount)
    {
        ShardCache cache = ReadyCache();
        JsonObject guild = Guild(
            memberCount: memberCount,
            members: [Member(1), Member(2, null, 30), Member(3, "nick"), Member(4), Member(5), Member(6)],
            presences: [Presence(1, "online"), Presence(6, "idle"), Presence(5, "offline")],
            voiceStates: [VoiceState(4, 10)]);
        cache.Dispatch("GUILD_CREATE", guild, 2);
        return cache.Snapshot();
    }

    private static ulong[] MemberIds(CacheSnapshot snap, GuildCreateOptions options)
    {
        using JsonDocument doc = WriteGuildCreate(snap, GuildId, options);
        return Ids(doc.RootElement.GetProperty("members"), "user.id");
    }

    [Fact]
    public void Small_guild_with_presence_intent_lists_every_member()
    {
        Assert.Equal([1UL, 2, 3, 4, 5, 6, BotId], MemberIds(Mixed(7), new GuildCreateOptions(50, true, true, BotId)));
    }

    [Fact]
    public void Without_presence_intent_only_the_bot_and_members_in_voice_are_listed()
    {
        CacheSnapshot snap = Mixed(7);
        var options = new GuildCreateOptions(50, GuildPresencesIntent: false, GuildMembersIntent: true, BotId);
        Assert.Equal([4UL, BotId], MemberIds(snap, options));
        using JsonDocument doc = WriteGuildCreate(snap, GuildId, options);
        Assert.Equal(0, doc.RootElement.GetProperty("presences").GetArrayLength());
    }

    [Fact]
    public void Large_guild_lists_online_role_nick_and_voice_members_and_the_bot()
    {
        CacheSnapshot snap = Mixed(60);
        var options = new GuildCreateOptions(50, true, true, BotId);
        Assert.Equal([1UL, 2, 3, 4, 6, BotId], MemberIds(snap, options));
        using JsonDocument doc = WriteGuildCreate(snap, GuildId, options);
        Assert.True(doc.RootElement.GetProperty("large").GetBoolean());
        Assert.Equal([1UL, 6], Ids(doc.RootElement.GetProperty("presences"), "user.id"));
    }

    [Fact]
    public void Large_threshold_is_per_client()
    {
        CacheSnapshot snap = Mixed(60);
        using JsonDocument doc = WriteGuildCreate(snap, GuildId, new GuildCreateOptions(250, true, true, BotId));
        Assert.False(doc.RootElement.GetProperty("large").GetBoolean());
        Assert.Equal(7, doc.RootElement.GetProperty("members").GetArrayLength());
    }

    [Fact]
    public void Above_75000_members_only_the_bot_and_voice_members_are_listed_even_with_presence_intent()
    {
        Assert.Equal([4UL, BotId], MemberIds(Mixed(75001), new GuildCreateOptions(250, true, true, BotId)));
        Assert.Equal([1UL, 2, 3, 4, 6, BotId], MemberIds(Mixed(75000), new GuildCreateOptions(250, true, true, BotId)));
    }

    [Fact]
    public void Member_update_that_adds_a_nick_makes_the_member_listed_in_a_large_guild()
    {
        ShardCache cache = ReadyCache();
        cache.Dispatch("GUILD_CREATE", Guild(memberCount: 60, members: [Member(5)]), 2);
        var options = new GuildCreateOptions(50, true, true, BotId);
        Assert.Equal([BotId], MemberIds(cache.Snapshot(), options));
        cache.Dispatch("GUILD_MEMBER_UPDATE", """{"guild_id":"100","user":{"id":"5","username":"u","discriminator":"0"},"roles":[],"nick":"hey"}""", 3);
        Assert.Equal([5UL, BotId], MemberIds(cache.Snapshot(), options));
        cache.Dispatch("GUILD_MEMBER_UPDATE", """{"guild_id":"100","user":{"id":"5","username":"u","discriminator":"0"},"roles":[],"nick":null}""", 4);
        Assert.Equal([BotId], MemberIds(cache.Snapshot(), options));
    }
}
