using System.Text.Json;
using GatewayProxy.Cache;
using Xunit;
using static GatewayProxy.Tests.Cache.CacheTestKit;

namespace GatewayProxy.Tests.Cache;

public class EntityEventTests
{
    private static ShardCache CreatedCache()
    {
        ShardCache cache = ReadyCache();
        cache.Dispatch("GUILD_CREATE", Guild(), 2);
        return cache;
    }

    [Fact]
    public void Channel_create_update_delete_change_the_channel_list()
    {
        ShardCache cache = CreatedCache();
        cache.Dispatch("CHANNEL_CREATE", """{"id":"12","guild_id":"100","type":0,"name":"new"}""", 3);
        cache.Dispatch("CHANNEL_UPDATE", """{"id":"10","guild_id":"100","type":0,"name":"renamed"}""", 4);
        cache.Dispatch("CHANNEL_DELETE", """{"id":"11","guild_id":"100","type":0,"name":"random"}""", 5);
        CacheSnapshot snap = cache.Snapshot();

        Assert.Equal([10UL, 12], snap.GetIds(GuildId, CacheEntityKind.Channels).ToArray());
        using JsonDocument renamed = Entity(snap, CacheEntityKind.Channels, 10);
        Assert.Equal("renamed", renamed.RootElement.GetProperty("name").GetString());
        Assert.False(renamed.RootElement.TryGetProperty("guild_id", out _)); // GUILD_CREATE channels carry no guild_id
    }

    [Fact]
    public void Dm_channels_are_ignored()
    {
        ShardCache cache = CreatedCache();
        cache.Dispatch("CHANNEL_CREATE", """{"id":"13","type":1,"recipients":[]}""", 3);
        Assert.Equal(2, cache.Snapshot().GetCount(GuildId, CacheEntityKind.Channels));
    }

    [Fact]
    public void Threads_follow_create_update_archive_delete()
    {
        ShardCache cache = CreatedCache();
        cache.Dispatch("THREAD_CREATE", """{"id":"21","guild_id":"100","parent_id":"10","type":11,"name":"a","newly_created":true,"thread_metadata":{"archived":false}}""", 3);
        cache.Dispatch("THREAD_CREATE", """{"id":"22","guild_id":"100","parent_id":"11","type":11,"name":"b","thread_metadata":{"archived":false}}""", 4);
        using (JsonDocument t21 = Entity(cache.Snapshot(), CacheEntityKind.Threads, 21))
        {
            Assert.False(t21.RootElement.TryGetProperty("newly_created", out _));
        }

        cache.Dispatch("THREAD_UPDATE", """{"id":"21","guild_id":"100","parent_id":"10","type":11,"name":"a","thread_metadata":{"archived":true}}""", 5);
        cache.Dispatch("THREAD_DELETE", """{"id":"20","guild_id":"100","parent_id":"10","type":11}""", 6);
        Assert.Equal([22UL], cache.Snapshot().GetIds(GuildId, CacheEntityKind.Threads).ToArray());
    }

    [Fact]
    public void Thread_list_sync_replaces_threads_of_the_synced_parents_only()
    {
        ShardCache cache = CreatedCache();
        cache.Dispatch("THREAD_CREATE", """{"id":"22","guild_id":"100","parent_id":"11","type":11,"name":"b"}""", 3);
        cache.Dispatch("THREAD_LIST_SYNC", """{"guild_id":"100","channel_ids":["10"],"threads":[{"id":"23","guild_id":"100","parent_id":"10","type":11,"name":"c"}],"members":[]}""", 4);
        Assert.Equal([22UL, 23], cache.Snapshot().GetIds(GuildId, CacheEntityKind.Threads).ToArray());

        cache.Dispatch("THREAD_LIST_SYNC", """{"guild_id":"100","threads":[{"id":"24","guild_id":"100","parent_id":"10","type":11,"name":"d"}],"members":[]}""", 5);
        Assert.Equal([24UL], cache.Snapshot().GetIds(GuildId, CacheEntityKind.Threads).ToArray());
    }

    [Fact]
    public void Roles_follow_create_update_delete_and_always_carry_colors()
    {
        ShardCache cache = CreatedCache();
        cache.Dispatch("GUILD_ROLE_CREATE", """{"guild_id":"100","role":{"id":"31","name":"new","color":16711680,"position":2,"permissions":"0"}}""", 3);
        cache.Dispatch("GUILD_ROLE_UPDATE", """{"guild_id":"100","role":{"id":"30","name":"moderator","color":1,"colors":{"primary_color":1,"secondary_color":2,"tertiary_color":null},"position":1,"permissions":"8"}}""", 4);
        cache.Dispatch("GUILD_ROLE_DELETE", """{"guild_id":"100","role_id":"100"}""", 5);
        CacheSnapshot snap = cache.Snapshot();

        Assert.Equal([30UL, 31], snap.GetIds(GuildId, CacheEntityKind.Roles).ToArray());
        using JsonDocument created = Entity(snap, CacheEntityKind.Roles, 31);
        Assert.Equal(16711680, created.RootElement.GetProperty("colors").GetProperty("primary_color").GetInt32());
        using JsonDocument updated = Entity(snap, CacheEntityKind.Roles, 30);
        Assert.Equal("moderator", updated.RootElement.GetProperty("name").GetString());
        Assert.Equal(2, updated.RootElement.GetProperty("colors").GetProperty("secondary_color").GetInt32());
        Assert.Single(updated.RootElement.EnumerateObject(), p => p.Name == "colors");
    }

    [Fact]
    public void Emoji_and_sticker_updates_replace_the_whole_list()
    {
        ShardCache cache = CreatedCache();
        cache.Dispatch("GUILD_EMOJIS_UPDATE", """{"guild_id":"100","emojis":[{"id":"41","name":"a"},{"id":"42","name":"b"}]}""", 3);
        cache.Dispatch("GUILD_STICKERS_UPDATE", """{"guild_id":"100","stickers":[]}""", 4);
        CacheSnapshot snap = cache.Snapshot();

        Assert.Equal([41UL, 42], snap.GetIds(GuildId, CacheEntityKind.Emojis).ToArray());
        Assert.Empty(snap.GetIds(GuildId, CacheEntityKind.Stickers));
    }

    [Fact]
    public void Stage_instances_scheduled_events_and_soundboard_sounds_follow_their_events()
    {
        ShardCache cache = CreatedCache();
        cache.Dispatch("STAGE_INSTANCE_CREATE", """{"id":"61","guild_id":"100","channel_id":"10","topic":"a"}""", 3);
        cache.Dispatch("STAGE_INSTANCE_DELETE", """{"id":"60","guild_id":"100","channel_id":"10","topic":"x"}""", 4);
        cache.Dispatch("GUILD_SCHEDULED_EVENT_UPDATE", """{"id":"70","guild_id":"100","name":"renamed"}""", 5);
        cache.Dispatch("GUILD_SCHEDULED_EVENT_CREATE", """{"id":"71","guild_id":"100","name":"new"}""", 6);
        cache.Dispatch("GUILD_SCHEDULED_EVENT_DELETE", """{"id":"71","guild_id":"100","name":"new"}""", 7);
        cache.Dispatch("GUILD_SOUNDBOARD_SOUND_CREATE", """{"sound_id":"81","guild_id":"100","name":"a"}""", 8);
        cache.Dispatch("GUILD_SOUNDBOARD_SOUND_DELETE", """{"sound_id":"80","guild_id":"100"}""", 9);
        cache.Dispatch("GUILD_SOUNDBOARD_SOUNDS_UPDATE", """{"guild_id":"100","soundboard_sounds":[{"sound_id":"82","guild_id":"100","name":"b"}]}""", 10);
        CacheSnapshot snap = cache.Snapshot();

        Assert.Equal([61UL], snap.GetIds(GuildId, CacheEntityKind.StageInstances).ToArray());
        Assert.Equal([70UL], snap.GetIds(GuildId, CacheEntityKind.ScheduledEvents).ToArray());
        using JsonDocument ev = Entity(snap, CacheEntityKind.ScheduledEvents, 70);
        Assert.Equal("renamed", ev.RootElement.GetProperty("name").GetString());
        Assert.Equal([81UL, 82], snap.GetIds(GuildId, CacheEntityKind.SoundboardSounds).ToArray());

        cache.Dispatch("SOUNDBOARD_SOUNDS", """{"guild_id":"100","soundboard_sounds":[{"sound_id":"83","guild_id":"100","name":"c"}]}""", 11);
        Assert.Equal([83UL], cache.Snapshot().GetIds(GuildId, CacheEntityKind.SoundboardSounds).ToArray());
    }
}
