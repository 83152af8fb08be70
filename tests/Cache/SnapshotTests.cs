using System.Text.Json;
using GatewayProxy.Cache;
using Xunit;
using static GatewayProxy.Tests.Cache.CacheTestKit;

namespace GatewayProxy.Tests.Cache;

public class SnapshotTests
{
    private static readonly (string T, string D)[] EveryKindOfChange =
    [
        ("CHANNEL_CREATE", """{"id":"12","guild_id":"100","type":0,"name":"new"}"""),
        ("CHANNEL_DELETE", """{"id":"10","guild_id":"100","type":0}"""),
        ("THREAD_CREATE", """{"id":"21","guild_id":"100","parent_id":"10","type":11,"name":"a"}"""),
        ("GUILD_ROLE_CREATE", """{"guild_id":"100","role":{"id":"31","name":"new","color":1}}"""),
        ("GUILD_EMOJIS_UPDATE", """{"guild_id":"100","emojis":[{"id":"41","name":"a"}]}"""),
        ("GUILD_STICKERS_UPDATE", """{"guild_id":"100","stickers":[{"id":"51","name":"a"}]}"""),
        ("GUILD_MEMBER_ADD", """{"guild_id":"100","user":{"id":"2","username":"two","discriminator":"0"},"roles":[]}"""),
        ("GUILD_MEMBER_UPDATE", """{"guild_id":"100","user":{"id":"1","username":"one","discriminator":"0"},"roles":["30"],"nick":"n"}"""),
        ("PRESENCE_UPDATE", """{"user":{"id":"2"},"guild_id":"100","status":"online","activities":[]}"""),
        ("VOICE_STATE_UPDATE", """{"guild_id":"100","channel_id":"10","user_id":"2","session_id":"s"}"""),
        ("STAGE_INSTANCE_CREATE", """{"id":"61","guild_id":"100","channel_id":"10","topic":"a"}"""),
        ("GUILD_SCHEDULED_EVENT_CREATE", """{"id":"71","guild_id":"100","name":"n"}"""),
        ("GUILD_SOUNDBOARD_SOUND_CREATE", """{"sound_id":"81","guild_id":"100","name":"a"}"""),
        ("GUILD_UPDATE", """{"id":"100","name":"renamed"}"""),
        ("GUILD_MEMBER_REMOVE", """{"guild_id":"100","user":{"id":"1"}}"""),
    ];

    [Fact]
    public void A_snapshot_is_unchanged_by_later_updates()
    {
        ShardCache cache = ReadyCache(null, GuildId, 101);
        cache.Dispatch("GUILD_CREATE", Guild(members: [Member(1)]), 2);
        CacheSnapshot before = cache.Snapshot();
        byte[] written = WriteGuildCreateBytes(before, GuildId, AllIntents());
        long position = 3;
        foreach ((string t, string d) in EveryKindOfChange)
        {
            Assert.Equal(CacheApplyResult.Applied, cache.Dispatch(t, d, position++));
        }

        cache.Dispatch("GUILD_CREATE", Guild(id: 101), position++);
        cache.Dispatch("GUILD_DELETE", """{"id":"100","unavailable":true}""", position);

        Assert.Equal(2, before.Position);
        Assert.Equal(written, WriteGuildCreateBytes(before, GuildId, AllIntents()));
        Assert.True(before.IsUnavailable(101));
        Assert.False(before.IsUnavailable(GuildId));
        Assert.True(cache.Snapshot().IsUnavailable(GuildId));
        Assert.Equal(position, cache.Snapshot().Position);
    }

    [Fact]
    public void Every_change_is_visible_in_the_next_snapshot()
    {
        ShardCache cache = ReadyCache();
        cache.Dispatch("GUILD_CREATE", Guild(members: [Member(1)]), 2);
        long position = 3;
        foreach ((string t, string d) in EveryKindOfChange)
        {
            byte[] before = WriteGuildCreateBytes(cache.Snapshot(), GuildId, AllIntents());
            cache.Dispatch(t, d, position);
            CacheSnapshot after = cache.Snapshot();
            Assert.Equal(position++, after.Position);
            Assert.NotEqual(before, WriteGuildCreateBytes(after, GuildId, AllIntents()));
        }
    }

    [Fact]
    public void Disabled_kinds_are_never_stored_and_written_as_empty_arrays()
    {
        var options = new CacheOptions { CurrentMember = false };
        ShardCache cache = ReadyCache(options);
        cache.Dispatch("GUILD_CREATE", Guild(members: [Member(1)], presences: [Presence(1, "online")], voiceStates: [VoiceState(1, 10)]), 2);
        long position = 3;
        foreach ((string t, string d) in EveryKindOfChange)
        {
            cache.Dispatch(t, d, position++);
        }

        CacheStats stats = cache.GetStats();
        foreach (CacheEntityKind kind in Enum.GetValues<CacheEntityKind>())
        {
            Assert.Equal(0, stats.Count(kind));
        }

        Assert.Equal(1, stats.Guilds);
        using JsonDocument doc = WriteGuildCreate(cache.Snapshot(), GuildId, AllIntents());
        foreach (string array in new[] { "voice_states", "members", "channels", "threads", "presences", "stage_instances", "guild_scheduled_events", "soundboard_sounds", "roles", "emojis", "stickers" })
        {
            Assert.Equal(0, doc.RootElement.GetProperty(array).GetArrayLength());
        }

        Assert.Equal("renamed", doc.RootElement.GetProperty("name").GetString()); // guild properties are always kept
        Assert.Equal(2, doc.RootElement.GetProperty("member_count").GetInt32()); // 2 + 1 add - 1 remove
    }

    [Fact]
    public void Stats_count_every_kind_and_unavailable_guilds()
    {
        ShardCache cache = ReadyCache(null, GuildId, 101);
        cache.Dispatch("GUILD_CREATE", Guild(members: [Member(1)], presences: [Presence(1, "online")], voiceStates: [VoiceState(1, 10)]), 2);
        CacheStats stats = cache.GetStats();

        Assert.Equal(2, stats.Guilds);
        Assert.Equal(1, stats.UnavailableGuilds);
        Assert.Equal(2, stats.Members);
        Assert.Equal(2, stats.Users);
        Assert.Equal(2, stats.Channels);
        Assert.Equal(1, stats.Threads);
        Assert.Equal(2, stats.Roles);
        Assert.Equal(1, stats.Emojis);
        Assert.Equal(1, stats.Stickers);
        Assert.Equal(1, stats.Presences);
        Assert.Equal(1, stats.VoiceStates);
        Assert.Equal(1, stats.StageInstances);
        Assert.Equal(1, stats.ScheduledEvents);
        Assert.Equal(1, stats.SoundboardSounds);
        Assert.True(stats.ApproximateBytes > 1000);

        long bytes = stats.ApproximateBytes;
        cache.Dispatch("GUILD_DELETE", """{"id":"100"}""", 3);
        Assert.True(cache.GetStats().ApproximateBytes < bytes);
        Assert.Equal(0, cache.GetStats().Members);
    }

    [Fact]
    public void Approximate_bytes_track_updates_incrementally()
    {
        ShardCache cache = ReadyCache();
        cache.Dispatch("GUILD_CREATE", Guild(members: [Member(1)]), 2);
        cache.Dispatch("GUILD_MEMBER_UPDATE", """{"guild_id":"100","user":{"id":"1","username":"a-much-longer-name-than-before","discriminator":"0"},"roles":[]}""", 3);
        cache.Dispatch("CHANNEL_DELETE", """{"id":"10","guild_id":"100"}""", 4);
        cache.Dispatch("GUILD_EMOJIS_UPDATE", """{"guild_id":"100","emojis":[{"id":"41","name":"a"},{"id":"42","name":"b"}]}""", 5);

        // Rebuilding the same guild from scratch gives the same figure as the incremental bookkeeping.
        CacheSnapshot snap = cache.Snapshot();
        var rebuilt = new ShardCache(1, CacheOptions.All());
        rebuilt.ApplyReady("""{"user":{"id":"900"},"guilds":[]}"""u8, 1);
        using JsonDocument doc = WriteGuildCreate(snap, GuildId, AllIntents());
        rebuilt.Dispatch("GUILD_CREATE", doc.RootElement.GetRawText(), 2);
        Assert.Equal(rebuilt.Snapshot().GetApproximateBytes(GuildId), snap.GetApproximateBytes(GuildId));
    }
}
