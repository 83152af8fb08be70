using System.Text.Json;
using GatewayProxy.Cache;
using Xunit;
using static GatewayProxy.Tests.Cache.CacheTestKit;

namespace GatewayProxy.Tests.Cache;

public class MemberEventTests
{
    private static ShardCache CreatedCache(CacheOptions? options = null)
    {
        ShardCache cache = ReadyCache(options);
        cache.Dispatch("GUILD_CREATE", Guild(members: [Member(1, "one")]), 2);
        return cache;
    }

    [Fact]
    public void Member_add_and_remove_move_member_count_and_the_member_list()
    {
        ShardCache cache = CreatedCache();
        cache.Dispatch("GUILD_MEMBER_ADD", """{"guild_id":"100","user":{"id":"2","username":"two","discriminator":"0"},"roles":[],"joined_at":"x","deaf":false,"mute":false}""", 3);
        Assert.Equal(3, cache.Snapshot().GetMemberCount(GuildId));
        using (JsonDocument added = Entity(cache.Snapshot(), CacheEntityKind.Members, 2))
        {
            Assert.False(added.RootElement.TryGetProperty("guild_id", out _));
        }

        cache.Dispatch("GUILD_MEMBER_REMOVE", """{"guild_id":"100","user":{"id":"1","username":"one","discriminator":"0"}}""", 4);
        CacheSnapshot snap = cache.Snapshot();
        Assert.Equal(2, snap.GetMemberCount(GuildId));
        Assert.Equal([2UL, BotId], snap.GetIds(GuildId, CacheEntityKind.Members).ToArray());
    }

    [Fact]
    public void Member_update_merges_the_given_fields_into_the_member()
    {
        ShardCache cache = CreatedCache();
        cache.Dispatch("GUILD_MEMBER_UPDATE", """{"guild_id":"100","user":{"id":"1","username":"renamed","discriminator":"0"},"roles":["30"],"avatar":"av"}""", 3);
        using JsonDocument member = Entity(cache.Snapshot(), CacheEntityKind.Members, 1);
        JsonElement m = member.RootElement;

        Assert.Equal("one", m.GetProperty("nick").GetString()); // not in the update: kept
        Assert.Equal("2020-01-01T00:00:00+00:00", m.GetProperty("joined_at").GetString());
        Assert.Equal("30", m.GetProperty("roles")[0].GetString());
        Assert.Equal("av", m.GetProperty("avatar").GetString());
        Assert.Equal("renamed", m.GetProperty("user").GetProperty("username").GetString());
        Assert.False(m.TryGetProperty("guild_id", out _));
        Assert.Equal(m.EnumerateObject().Count(), m.EnumerateObject().Select(p => p.Name).Distinct().Count());
        Assert.Equal(2, cache.Snapshot().GetMemberCount(GuildId));
    }

    [Fact]
    public void Members_chunk_adds_members_and_presences()
    {
        ShardCache cache = CreatedCache();
        cache.Dispatch("GUILD_MEMBERS_CHUNK", """{"guild_id":"100","members":[{"user":{"id":"3","username":"c","discriminator":"0"},"roles":[]},{"user":{"id":"4","username":"d","discriminator":"0"},"roles":[]}],"presences":[{"user":{"id":"3"},"status":"online","activities":[]}],"chunk_index":0,"chunk_count":1}""", 3);
        CacheSnapshot snap = cache.Snapshot();

        Assert.Equal([1UL, 3, 4, BotId], snap.GetIds(GuildId, CacheEntityKind.Members).ToArray());
        Assert.Equal([3UL], snap.GetIds(GuildId, CacheEntityKind.Presences).ToArray());
        Assert.Equal(2, snap.GetMemberCount(GuildId)); // a chunk is not a join
    }

    [Fact]
    public void Presence_update_replaces_the_presence_and_offline_removes_it()
    {
        ShardCache cache = CreatedCache();
        cache.Dispatch("PRESENCE_UPDATE", """{"user":{"id":"1","username":"one"},"guild_id":"100","status":"idle","activities":[],"client_status":{"desktop":"idle"}}""", 3);
        using (JsonDocument p = Entity(cache.Snapshot(), CacheEntityKind.Presences, 1))
        {
            Assert.Equal("idle", p.RootElement.GetProperty("status").GetString());
            Assert.Equal(["id"], p.RootElement.GetProperty("user").EnumerateObject().Select(x => x.Name).ToArray());
            Assert.False(p.RootElement.TryGetProperty("guild_id", out _));
        }

        cache.Dispatch("PRESENCE_UPDATE", """{"user":{"id":"1"},"guild_id":"100","status":"dnd","activities":[]}""", 4);
        using (JsonDocument p = Entity(cache.Snapshot(), CacheEntityKind.Presences, 1))
        {
            Assert.Equal("dnd", p.RootElement.GetProperty("status").GetString());
        }

        cache.Dispatch("PRESENCE_UPDATE", """{"user":{"id":"1"},"guild_id":"100","status":"offline","activities":[]}""", 5);
        Assert.Empty(cache.Snapshot().GetIds(GuildId, CacheEntityKind.Presences));
    }

    [Fact]
    public void Voice_state_update_joins_moves_and_leaves()
    {
        ShardCache cache = CreatedCache();
        cache.Dispatch("VOICE_STATE_UPDATE", """{"guild_id":"100","channel_id":"10","user_id":"5","session_id":"s","deaf":false,"mute":false,"self_deaf":false,"self_mute":false,"suppress":false,"member":{"user":{"id":"5","username":"five","discriminator":"0"},"roles":[],"joined_at":"x"}}""", 3);
        CacheSnapshot joined = cache.Snapshot();
        using (JsonDocument v = Entity(joined, CacheEntityKind.VoiceStates, 5))
        {
            Assert.Equal("10", v.RootElement.GetProperty("channel_id").GetString());
            Assert.False(v.RootElement.TryGetProperty("member", out _));
            Assert.False(v.RootElement.TryGetProperty("guild_id", out _));
        }

        Assert.Contains(5UL, joined.GetIds(GuildId, CacheEntityKind.Members)); // the voice member is cached too

        cache.Dispatch("VOICE_STATE_UPDATE", """{"guild_id":"100","channel_id":"11","user_id":"5","session_id":"s"}""", 4);
        using (JsonDocument v = Entity(cache.Snapshot(), CacheEntityKind.VoiceStates, 5))
        {
            Assert.Equal("11", v.RootElement.GetProperty("channel_id").GetString());
        }

        cache.Dispatch("VOICE_STATE_UPDATE", """{"guild_id":"100","channel_id":null,"user_id":"5","session_id":"s"}""", 5);
        Assert.Empty(cache.Snapshot().GetIds(GuildId, CacheEntityKind.VoiceStates));
    }

    [Fact]
    public void Without_the_users_flag_members_keep_a_stub_user()
    {
        CacheOptions options = CacheOptions.All();
        options.Users = false;
        ShardCache cache = CreatedCache(options);
        using JsonDocument member = Entity(cache.Snapshot(), CacheEntityKind.Members, 1);
        string[] userKeys = [.. member.RootElement.GetProperty("user").EnumerateObject().Select(p => p.Name)];

        Assert.Equal(["avatar", "discriminator", "global_name", "id", "username"], userKeys.Order().ToArray());
        Assert.Equal(0, cache.GetStats().Users);
    }

    [Fact]
    public void Without_the_members_flag_only_the_current_member_is_kept()
    {
        CacheOptions options = CacheOptions.All();
        options.Members = false;
        ShardCache cache = CreatedCache(options);
        cache.Dispatch("GUILD_MEMBER_ADD", """{"guild_id":"100","user":{"id":"2","username":"two","discriminator":"0"},"roles":[]}""", 3);
        cache.Dispatch("GUILD_MEMBER_UPDATE", """{"guild_id":"100","user":{"id":"900","username":"bot","discriminator":"0"},"roles":[],"nick":"me"}""", 4);
        CacheSnapshot snap = cache.Snapshot();

        Assert.Equal([BotId], snap.GetIds(GuildId, CacheEntityKind.Members).ToArray());
        using JsonDocument bot = Entity(snap, CacheEntityKind.Members, BotId);
        Assert.Equal("me", bot.RootElement.GetProperty("nick").GetString());
        Assert.Equal(3, snap.GetMemberCount(GuildId));

        options.CurrentMember = false;
        ShardCache none = CreatedCache(options);
        Assert.Equal(0, none.GetStats().Members);
    }
}
