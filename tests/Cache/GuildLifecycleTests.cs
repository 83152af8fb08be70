using System.Text;
using System.Text.Json;
using GatewayProxy.Cache;
using Xunit;
using static GatewayProxy.Tests.Cache.CacheTestKit;

namespace GatewayProxy.Tests.Cache;

public class GuildLifecycleTests
{
    [Fact]
    public void Ready_lists_every_guild_as_unavailable_and_keeps_user_and_application()
    {
        ShardCache cache = ReadyCache(null, 100, 101, 102);
        CacheSnapshot snap = cache.Snapshot();

        Assert.Equal([100UL, 101, 102], snap.GuildIds.ToArray());
        Assert.All(snap.GuildIds, id => Assert.True(snap.IsUnavailable(id)));
        Assert.Equal(BotId, cache.BotUserId);
        Assert.Equal("bot", JsonDocument.Parse(snap.BotUserJson.ToArray()).RootElement.GetProperty("username").GetString());
        Assert.Equal(BotId.ToString(), JsonDocument.Parse(snap.ApplicationJson.ToArray()).RootElement.GetProperty("id").GetString());
        Assert.False(snap.TryWriteGuildCreate(100, new System.Buffers.ArrayBufferWriter<byte>(), AllIntents()));
        Assert.Equal(1, snap.Position);
    }

    [Fact]
    public void Guild_create_makes_a_ready_guild_available_with_its_collections()
    {
        ShardCache cache = ReadyCache();
        Assert.Equal(CacheApplyResult.Applied, cache.Dispatch("GUILD_CREATE", Guild(members: [Member(1), Member(2)]), 2));
        CacheSnapshot snap = cache.Snapshot();

        Assert.False(snap.IsUnavailable(GuildId));
        Assert.Equal(3, snap.GetMemberCount(GuildId));
        Assert.Equal(3, snap.GetCount(GuildId, CacheEntityKind.Members));
        Assert.Equal(2, snap.GetCount(GuildId, CacheEntityKind.Channels));
        Assert.Equal(1, snap.GetCount(GuildId, CacheEntityKind.Threads));
        Assert.Equal(2, snap.GetCount(GuildId, CacheEntityKind.Roles));
        Assert.Equal(1, snap.GetCount(GuildId, CacheEntityKind.SoundboardSounds));
        Assert.Equal(2, snap.Position);
    }

    [Fact]
    public void Written_guild_create_has_every_field_and_every_array()
    {
        ShardCache cache = ReadyCache();
        cache.Dispatch("GUILD_CREATE", Guild(members: [Member(1)]), 2);
        using JsonDocument doc = WriteGuildCreate(cache.Snapshot(), GuildId, AllIntents());
        JsonElement d = doc.RootElement;

        Assert.Equal("100", d.GetProperty("id").GetString());
        Assert.Equal("guild 100", d.GetProperty("name").GetString());
        Assert.Equal("2021-02-03T04:05:06+00:00", d.GetProperty("joined_at").GetString());
        Assert.False(d.GetProperty("large").GetBoolean());
        Assert.False(d.GetProperty("unavailable").GetBoolean());
        Assert.Equal(2, d.GetProperty("member_count").GetInt32());
        foreach (string array in new[] { "voice_states", "members", "channels", "threads", "presences", "stage_instances", "guild_scheduled_events", "soundboard_sounds", "roles", "emojis", "stickers" })
        {
            Assert.Equal(JsonValueKind.Array, d.GetProperty(array).ValueKind);
        }

        Assert.Equal([1UL, BotId], Ids(d.GetProperty("members"), "user.id"));
        Assert.Equal([10UL, 11], Ids(d.GetProperty("channels")));
        foreach (JsonElement role in d.GetProperty("roles").EnumerateArray())
        {
            JsonElement colors = role.GetProperty("colors");
            Assert.Equal(role.GetProperty("color").GetInt32(), colors.GetProperty("primary_color").GetInt32());
            Assert.Equal(JsonValueKind.Null, colors.GetProperty("secondary_color").ValueKind);
            Assert.Equal(JsonValueKind.Null, colors.GetProperty("tertiary_color").ValueKind);
        }

        // Exactly one occurrence of each key: nothing duplicated between properties and the per-connection fields.
        var names = d.EnumerateObject().Select(p => p.Name).ToList();
        Assert.Equal(names.Count, names.Distinct().Count());
    }

    [Fact]
    public void Guild_update_merges_properties_and_keeps_collections()
    {
        ShardCache cache = ReadyCache();
        cache.Dispatch("GUILD_CREATE", Guild(), 2);
        cache.Dispatch("GUILD_UPDATE", """{"id":"100","name":"renamed","icon":"abc","roles":[]}""", 3);
        using JsonDocument doc = WriteGuildCreate(cache.Snapshot(), GuildId, AllIntents());
        JsonElement d = doc.RootElement;

        Assert.Equal("renamed", d.GetProperty("name").GetString());
        Assert.Equal("abc", d.GetProperty("icon").GetString());
        Assert.Equal("1", d.GetProperty("owner_id").GetString());
        Assert.Equal(2, d.GetProperty("roles").GetArrayLength());
        Assert.Equal(2, d.GetProperty("channels").GetArrayLength());
        Assert.Equal("2021-02-03T04:05:06+00:00", d.GetProperty("joined_at").GetString());
    }

    [Fact]
    public void Guild_delete_with_unavailable_keeps_the_id_and_forgets_the_content()
    {
        ShardCache cache = ReadyCache();
        cache.Dispatch("GUILD_CREATE", Guild(), 2);
        cache.Dispatch("GUILD_DELETE", """{"id":"100","unavailable":true}""", 3);
        CacheSnapshot snap = cache.Snapshot();

        Assert.Contains(GuildId, snap.GuildIds);
        Assert.True(snap.IsUnavailable(GuildId));
        Assert.Equal(0, snap.GetCount(GuildId, CacheEntityKind.Channels));

        cache.Dispatch("GUILD_CREATE", Guild(), 4);
        Assert.False(cache.Snapshot().IsUnavailable(GuildId));
    }

    [Fact]
    public void Guild_delete_without_unavailable_removes_the_guild()
    {
        ShardCache cache = ReadyCache();
        cache.Dispatch("GUILD_CREATE", Guild(), 2);
        cache.Dispatch("GUILD_DELETE", """{"id":"100"}""", 3);
        CacheSnapshot snap = cache.Snapshot();

        Assert.DoesNotContain(GuildId, snap.GuildIds);
        Assert.False(snap.IsUnavailable(GuildId));
        Assert.Equal(0, snap.GuildCount);
    }

    [Fact]
    public void Guild_create_for_a_new_guild_adds_it()
    {
        ShardCache cache = ReadyCache();
        cache.Dispatch("GUILD_CREATE", Guild(id: 555), 2);
        Assert.Equal([100UL, 555], cache.Snapshot().GuildIds.ToArray());
        Assert.False(cache.Snapshot().IsUnavailable(555));
    }

    [Fact]
    public void User_update_of_the_bot_replaces_the_bot_user_and_others_are_ignored()
    {
        ShardCache cache = ReadyCache();
        cache.Dispatch("USER_UPDATE", """{"id":"900","username":"renamed","discriminator":"0"}""", 2);
        cache.Dispatch("USER_UPDATE", """{"id":"901","username":"other","discriminator":"0"}""", 3);
        using JsonDocument user = JsonDocument.Parse(cache.Snapshot().BotUserJson.ToArray());
        Assert.Equal("renamed", user.RootElement.GetProperty("username").GetString());
    }

    [Fact]
    public void Irrelevant_events_only_move_the_position()
    {
        ShardCache cache = ReadyCache();
        cache.Dispatch("GUILD_CREATE", Guild(), 2);
        CacheSnapshot before = cache.Snapshot();
        Assert.Equal(CacheApplyResult.Ignored, cache.Dispatch("MESSAGE_CREATE", """{"id":"1","guild_id":"100","content":"hi"}""", 3));
        Assert.Equal(CacheApplyResult.Ignored, cache.Dispatch("TYPING_START", """{"channel_id":"1"}""", 4));
        CacheSnapshot after = cache.Snapshot();

        Assert.Equal(4, cache.Position);
        Assert.Equal(4, after.Position);
        Assert.Equal(WriteGuildCreateBytes(before, GuildId, AllIntents()), WriteGuildCreateBytes(after, GuildId, AllIntents()));
    }

    [Fact]
    public void Events_for_unknown_guilds_change_nothing()
    {
        ShardCache cache = ReadyCache();
        cache.Dispatch("CHANNEL_CREATE", """{"id":"5","guild_id":"777","name":"x","type":0}""", 2);
        cache.Dispatch("GUILD_MEMBER_ADD", """{"guild_id":"100","user":{"id":"5"},"roles":[]}""", 3); // 100 still unavailable
        CacheSnapshot snap = cache.Snapshot();
        Assert.Equal([GuildId], snap.GuildIds.ToArray());
        Assert.Equal(0, cache.GetStats().Channels);
        Assert.Equal(0, cache.GetStats().Members);
        Assert.Equal(3, snap.Position);
    }

    [Theory]
    [InlineData("GUILD_CREATE", "[1,2]")]
    [InlineData("GUILD_MEMBER_UPDATE", "{\"guild_id\":\"100\",\"user\":{\"id\":\"1\"},\"roles\":[}")]
    [InlineData("CHANNEL_CREATE", "\"string\"")]
    // Malformed scalars nested inside a container: the walkers skip containers structurally, so only the whole-event
    // validation catches these (a guild replaced by a broken one, a presence stored with invalid JSON in it).
    [InlineData("GUILD_CREATE", "{\"id\":\"100\",\"name\":\"x\",\"members\":[{\"user\":{\"id\":\"1\"},\"deaf\":tru}]}")]
    [InlineData("PRESENCE_UPDATE", "{\"guild_id\":\"100\",\"user\":{\"id\":\"1\"},\"status\":\"online\",\"activities\":[{\"type\":01}]}")]
    [InlineData("CHANNEL_UPDATE", "{\"guild_id\":\"100\",\"id\":\"10\",\"permission_overwrites\":[{\"allow\":nul}]}")]
    [InlineData("GUILD_ROLE_UPDATE", "{\"guild_id\":\"100\",\"role\":{\"id\":\"7\",\"name\":\"\\x\"}}")]
    public void Malformed_data_is_counted_not_thrown_and_changes_nothing(string t, string d)
    {
        ShardCache cache = ReadyCache();
        cache.Dispatch("GUILD_CREATE", Guild(), 2);
        byte[] before = WriteGuildCreateBytes(cache.Snapshot(), GuildId, AllIntents());
        Assert.Equal(CacheApplyResult.Malformed, cache.ApplyDispatch(Encoding.UTF8.GetBytes(t), Encoding.UTF8.GetBytes(d), 3));
        Assert.Equal(1, cache.MalformedEvents);
        Assert.Equal(3, cache.Position);
        Assert.Equal(before, WriteGuildCreateBytes(cache.Snapshot(), GuildId, AllIntents()));
    }

    [Fact]
    public void Clear_forgets_every_guild_and_keeps_the_position()
    {
        ShardCache cache = ReadyCache();
        cache.Dispatch("GUILD_CREATE", Guild(), 2);
        CacheSnapshot old = cache.Snapshot();
        cache.Clear();
        Assert.Equal(0, cache.Snapshot().GuildCount);
        Assert.Equal(2, cache.Snapshot().Position);
        Assert.Equal(1, old.GuildCount);
    }
}
