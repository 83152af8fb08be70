using System.Text;
using System.Text.Json;
using GatewayProxy.Cache;
using GatewayProxy.Protocol.Gateway;
using Xunit;
using static GatewayProxy.Tests.Cache.CacheTestKit;

namespace GatewayProxy.Tests.Cache;

/// <summary>Updates of existing entities, entities leaving and coming back (presence offline/online, voice leave/join), GUILD_UPDATE and
/// a guild lost in an outage and back allocate nothing in steady state (no snapshot in between).</summary>
public sealed class SteadyStateAllocationTests
{
    private const string User1 = """{"id":"1","username":"user","discriminator":"0","global_name":"user","avatar":null}""";

    public static TheoryData<string, string, string> Updates => new()
    {
        { "PRESENCE_UPDATE", """{"user":{"id":"1"},"guild_id":"100","status":"online","activities":[],"client_status":{"desktop":"online"}}""",
            """{"user":{"id":"1"},"guild_id":"100","status":"idle","activities":[{"name":"x","type":0}],"client_status":{"web":"idle"}}""" },
        { "GUILD_MEMBER_UPDATE", "{\"guild_id\":\"100\",\"user\":" + User1 + ",\"nick\":\"a\",\"roles\":[]}",
            "{\"guild_id\":\"100\",\"user\":" + User1 + ",\"nick\":\"longer nick\",\"roles\":[\"30\"]}" },
        { "CHANNEL_UPDATE", """{"id":"10","guild_id":"100","type":0,"name":"general","position":0}""",
            """{"id":"10","guild_id":"100","type":0,"name":"general-renamed","position":3,"topic":"t"}""" },
        { "VOICE_STATE_UPDATE", "{\"guild_id\":\"100\",\"channel_id\":\"10\",\"user_id\":\"1\",\"session_id\":\"s1\",\"self_mute\":false,\"member\":{\"user\":" + User1 + ",\"roles\":[]}}",
            "{\"guild_id\":\"100\",\"channel_id\":\"11\",\"user_id\":\"1\",\"session_id\":\"s1\",\"self_mute\":true,\"self_deaf\":true,\"member\":{\"user\":" + User1 + ",\"roles\":[\"30\"]}}" },
        { "GUILD_ROLE_UPDATE", """{"guild_id":"100","role":{"id":"30","name":"mod","color":255,"position":1,"permissions":"0"}}""",
            """{"guild_id":"100","role":{"id":"30","name":"moderators","color":0,"position":2,"permissions":"8"}}""" },
        { "THREAD_UPDATE", """{"id":"20","guild_id":"100","parent_id":"10","type":11,"name":"t","thread_metadata":{"archived":false}}""",
            """{"id":"20","guild_id":"100","parent_id":"10","type":11,"name":"thread","thread_metadata":{"archived":false,"locked":true}}""" },
        { "STAGE_INSTANCE_UPDATE", """{"id":"60","guild_id":"100","channel_id":"10","topic":"x"}""",
            """{"id":"60","guild_id":"100","channel_id":"10","topic":"a longer topic"}""" },
        { "GUILD_SCHEDULED_EVENT_UPDATE", """{"id":"70","guild_id":"100","name":"ev"}""", """{"id":"70","guild_id":"100","name":"event","status":2}""" },
        { "GUILD_SOUNDBOARD_SOUND_UPDATE", """{"sound_id":"80","guild_id":"100","name":"boom"}""", """{"sound_id":"80","guild_id":"100","name":"kaboom","volume":1}""" },
        { "PRESENCE_UPDATE", """{"user":{"id":"1"},"guild_id":"100","status":"online","activities":[],"client_status":{"desktop":"online"}}""",
            """{"user":{"id":"1"},"guild_id":"100","status":"offline","activities":[],"client_status":{}}""" },
        { "VOICE_STATE_UPDATE", """{"guild_id":"100","channel_id":"10","user_id":"1","session_id":"s1","self_mute":false}""",
            """{"guild_id":"100","channel_id":null,"user_id":"1","session_id":"s1","self_mute":false}""" },
        { "MESSAGE_CREATE", """{"id":"1","channel_id":"10","guild_id":"100","content":"hi"}""", """{"id":"2","channel_id":"10","guild_id":"100","content":"hello"}""" },
    };

    [Theory]
    [MemberData(nameof(Updates))]
    public void Updating_an_existing_entity_allocates_nothing(string type, string first, string second)
    {
        ShardCache cache = ReadyCache();
        cache.Dispatch("GUILD_CREATE", Guild(members: [Member(1)], presences: [Presence(1, "online")], voiceStates: [VoiceState(1, 10)]), 2);
        (byte[] Payload, Envelope Env)[] updates = [Scan(type, first), Scan(type, second)];
        long position = 3;

        // Warm-up: JIT tiers, and the first update of each entity sizes its buffer (with headroom) in this epoch.
        for (int i = 0; i < 200; i++)
        {
            Apply(cache, updates, i, ref position);
        }

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 1000; i++)
        {
            Apply(cache, updates, i, ref position);
        }

        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(0, allocated);
        Assert.Equal(0, cache.MalformedEvents);
        Assert.Equal(position - 1, cache.Position);
    }

    [Fact]
    public void After_a_snapshot_the_first_update_copies_and_the_next_ones_are_in_place_again()
    {
        ShardCache cache = ReadyCache();
        cache.Dispatch("GUILD_CREATE", Guild(members: [Member(1)], presences: [Presence(1, "online")]), 2);
        (byte[] Payload, Envelope Env)[] updates =
        [
            Scan("PRESENCE_UPDATE", """{"user":{"id":"1"},"guild_id":"100","status":"online","activities":[],"client_status":{}}"""),
            Scan("PRESENCE_UPDATE", """{"user":{"id":"1"},"guild_id":"100","status":"dnd","activities":[],"client_status":{}}"""),
        ];
        long position = 3;
        for (int i = 0; i < 200; i++)
        {
            Apply(cache, updates, i, ref position);
        }

        CacheSnapshot snapshot = cache.Snapshot();
        long before = GC.GetAllocatedBytesForCurrentThread();
        Apply(cache, updates, 0, ref position);
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before > 0, "the first update after a snapshot must copy what the snapshot holds");

        before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 1; i < 500; i++)
        {
            Apply(cache, updates, i, ref position);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.True(snapshot.TryGetEntity(GuildId, CacheEntityKind.Presences, 1, out ReadOnlyMemory<byte> held));
        Assert.Contains("\"dnd\"", Encoding.UTF8.GetString(held.Span), StringComparison.Ordinal);
    }

    [Fact]
    public void A_guild_lost_in_an_outage_and_back_unchanged_is_refilled_in_place_without_allocating()
    {
        ShardCache cache = ReadyCache();
        string guild = Guild(members: [Member(1, "a", 30), Member(2)], presences: [Presence(1, "online")], voiceStates: [VoiceState(1, 10)]).ToJsonString();
        (byte[] Payload, Envelope Env)[] cycle =
        [
            Scan("GUILD_DELETE", """{"id":"100","unavailable":true}"""),
            Scan("GUILD_CREATE", guild),
        ];
        long position = 2;
        for (int i = 0; i < 200; i++)
        {
            Apply(cache, cycle, i, ref position);
        }

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 1000; i++)
        {
            Apply(cache, cycle, i, ref position);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.Equal(0, cache.MalformedEvents);
        // Refilled, not emptied: the guild is whole again (the bot and both members, every collection).
        CacheSnapshot snapshot = cache.Snapshot();
        Assert.False(snapshot.IsUnavailable(GuildId));
        Assert.Equal(3, snapshot.GetCount(GuildId, CacheEntityKind.Members));
        Assert.Equal(1, snapshot.GetCount(GuildId, CacheEntityKind.VoiceStates));
        using JsonDocument written = WriteGuildCreate(snapshot, GuildId, AllIntents());
        Assert.Equal("guild 100", written.RootElement.GetProperty("name").GetString());
    }

    [Fact]
    public void Guild_update_rewrites_the_guilds_properties_in_place()
    {
        ShardCache cache = ReadyCache();
        cache.Dispatch("GUILD_CREATE", Guild(members: [Member(1)]), 2);
        (byte[] Payload, Envelope Env)[] updates =
        [
            Scan("GUILD_UPDATE", """{"id":"100","name":"renamed","icon":null,"owner_id":"1","features":["COMMUNITY"]}"""),
            Scan("GUILD_UPDATE", """{"id":"100","name":"renamed again, longer","icon":"abc","owner_id":"2","features":[]}"""),
        ];
        long position = 3;
        for (int i = 0; i < 200; i++)
        {
            Apply(cache, updates, i, ref position);
        }

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 1000; i++)
        {
            Apply(cache, updates, i, ref position);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        using JsonDocument written = WriteGuildCreate(cache.Snapshot(), GuildId, AllIntents());
        // 1200 updates applied: the last one (odd index) is the longer name.
        Assert.Equal("renamed again, longer", written.RootElement.GetProperty("name").GetString());
    }

    private static void Apply(ShardCache cache, (byte[] Payload, Envelope Env)[] updates, int i, ref long position)
    {
        (byte[] payload, Envelope env) = updates[i & 1];
        cache.Apply(payload, env, position++);
    }

    private static (byte[] Payload, Envelope Env) Scan(string type, string data)
    {
        byte[] payload = Encoding.UTF8.GetBytes($"{{\"t\":\"{type}\",\"s\":1,\"op\":0,\"d\":{data}}}");
        Assert.True(EnvelopeScanner.TryScan(payload, out Envelope env, out EnvelopeError error), error.ToString());
        return (payload, env);
    }
}
