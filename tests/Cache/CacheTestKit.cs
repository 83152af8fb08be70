using System.Buffers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using GatewayProxy.Cache;
using GatewayProxy.Protocol.Gateway;
using Xunit;

namespace GatewayProxy.Tests.Cache;

/// <summary>Builders of Discord-shaped payloads and helpers to apply them and read crafted GUILD_CREATEs back.</summary>
internal static class CacheTestKit
{
    public const ulong BotId = 900;
    public const ulong GuildId = 100;

    /// <summary>Applies a dispatch the way the updater does: wire bytes, real envelope scan, <see cref="ShardCache.Apply"/>.</summary>
    public static CacheApplyResult Dispatch(this ShardCache cache, string t, string d, long position)
    {
        byte[] payload = Encoding.UTF8.GetBytes($"{{\"t\":\"{t}\",\"s\":{position},\"op\":0,\"d\":{d}}}");
        Assert.True(EnvelopeScanner.TryScan(payload, out Envelope env, out EnvelopeError error), error.ToString());
        return cache.Apply(payload, env, position);
    }

    public static CacheApplyResult Dispatch(this ShardCache cache, string t, JsonNode d, long position) =>
        cache.Dispatch(t, d.ToJsonString(), position);

    public static string Ready(params ulong[] guildIds)
    {
        var guilds = new JsonArray();
        foreach (ulong id in guildIds)
        {
            guilds.Add(new JsonObject { ["id"] = id.ToString(), ["unavailable"] = true });
        }

        return new JsonObject
        {
            ["v"] = 10,
            ["user"] = new JsonObject { ["id"] = BotId.ToString(), ["username"] = "bot", ["discriminator"] = "0", ["bot"] = true },
            ["guilds"] = guilds,
            ["session_id"] = "abc",
            ["application"] = new JsonObject { ["id"] = BotId.ToString(), ["flags"] = 0 },
        }.ToJsonString();
    }

    public static JsonObject User(ulong id, string name = "user") => new()
    {
        ["id"] = id.ToString(),
        ["username"] = name,
        ["discriminator"] = "0",
        ["global_name"] = name,
        ["avatar"] = null,
        ["banner"] = "b4nn3r",
        ["public_flags"] = 0,
    };

    public static JsonObject Member(ulong userId, string? nick = null, params ulong[] roles)
    {
        var roleArray = new JsonArray();
        foreach (ulong r in roles)
        {
            roleArray.Add(r.ToString());
        }

        return new JsonObject
        {
            ["user"] = User(userId),
            ["nick"] = nick,
            ["roles"] = roleArray,
            ["joined_at"] = "2020-01-01T00:00:00+00:00",
            ["deaf"] = false,
            ["mute"] = false,
        };
    }

    public static JsonObject Channel(ulong id, string name) => new() { ["id"] = id.ToString(), ["type"] = 0, ["name"] = name, ["position"] = 0 };

    public static JsonObject Role(ulong id, string name, int color = 0) => new() { ["id"] = id.ToString(), ["name"] = name, ["color"] = color, ["position"] = 1, ["permissions"] = "0" };

    public static JsonObject Presence(ulong userId, string status) => new() { ["user"] = new JsonObject { ["id"] = userId.ToString() }, ["status"] = status, ["activities"] = new JsonArray(), ["client_status"] = new JsonObject() };

    public static JsonObject VoiceState(ulong userId, ulong? channelId) => new()
    {
        ["user_id"] = userId.ToString(),
        ["channel_id"] = channelId?.ToString(),
        ["session_id"] = "s" + userId,
        ["deaf"] = false,
        ["mute"] = false,
        ["self_deaf"] = false,
        ["self_mute"] = false,
        ["suppress"] = false,
    };

    /// <summary>A full GUILD_CREATE d with the given members (plus the bot) and one of every other kind.</summary>
    public static JsonObject Guild(ulong id = GuildId, int? memberCount = null, IEnumerable<JsonObject>? members = null, IEnumerable<JsonObject>? presences = null, IEnumerable<JsonObject>? voiceStates = null)
    {
        var memberArray = new JsonArray { Member(BotId) };
        foreach (JsonObject m in members ?? [])
        {
            memberArray.Add(m);
        }

        return new JsonObject
        {
            ["id"] = id.ToString(),
            ["name"] = "guild " + id,
            ["icon"] = null,
            ["owner_id"] = "1",
            ["features"] = new JsonArray("COMMUNITY"),
            ["joined_at"] = "2021-02-03T04:05:06+00:00",
            ["large"] = false,
            ["unavailable"] = false,
            ["member_count"] = memberCount ?? memberArray.Count,
            ["members"] = memberArray,
            ["channels"] = new JsonArray { Channel(10, "general"), Channel(11, "random") },
            ["threads"] = new JsonArray { new JsonObject { ["id"] = "20", ["guild_id"] = id.ToString(), ["parent_id"] = "10", ["type"] = 11, ["name"] = "t", ["thread_metadata"] = new JsonObject { ["archived"] = false } } },
            ["roles"] = new JsonArray { Role(id, "@everyone"), Role(30, "mod", 255) },
            ["emojis"] = new JsonArray { new JsonObject { ["id"] = "40", ["name"] = "e" } },
            ["stickers"] = new JsonArray { new JsonObject { ["id"] = "50", ["name"] = "s" } },
            ["presences"] = new JsonArray([.. (presences ?? []).Cast<JsonNode>()]),
            ["voice_states"] = new JsonArray([.. (voiceStates ?? []).Cast<JsonNode>()]),
            ["stage_instances"] = new JsonArray { new JsonObject { ["id"] = "60", ["guild_id"] = id.ToString(), ["channel_id"] = "10", ["topic"] = "x" } },
            ["guild_scheduled_events"] = new JsonArray { new JsonObject { ["id"] = "70", ["guild_id"] = id.ToString(), ["name"] = "ev" } },
            ["soundboard_sounds"] = new JsonArray { new JsonObject { ["sound_id"] = "80", ["guild_id"] = id.ToString(), ["name"] = "boom" } },
        };
    }

    public static ShardCache ReadyCache(CacheOptions? options = null, params ulong[] guilds)
    {
        var cache = new ShardCache(0, options ?? CacheOptions.All());
        Assert.Equal(CacheApplyResult.Applied, cache.ApplyReady(Encoding.UTF8.GetBytes(Ready(guilds.Length == 0 ? [GuildId] : guilds)), 1));
        return cache;
    }

    public static JsonDocument WriteGuildCreate(CacheSnapshot snapshot, ulong guildId, GuildCreateOptions options)
    {
        var buffer = new ArrayBufferWriter<byte>();
        Assert.True(snapshot.TryWriteGuildCreate(guildId, buffer, options));
        return JsonDocument.Parse(buffer.WrittenMemory);
    }

    public static byte[] WriteGuildCreateBytes(CacheSnapshot snapshot, ulong guildId, GuildCreateOptions options)
    {
        var buffer = new ArrayBufferWriter<byte>();
        Assert.True(snapshot.TryWriteGuildCreate(guildId, buffer, options));
        return buffer.WrittenSpan.ToArray();
    }

    public static GuildCreateOptions AllIntents(int largeThreshold = 250) => new(largeThreshold, true, true, BotId);

    public static ulong[] Ids(JsonElement array, string idPath = "id")
    {
        var ids = new List<ulong>();
        foreach (JsonElement e in array.EnumerateArray())
        {
            JsonElement v = idPath == "user.id" ? e.GetProperty("user").GetProperty("id") : e.GetProperty(idPath);
            ids.Add(ulong.Parse(v.GetString()!));
        }

        ids.Sort();
        return [.. ids];
    }

    public static JsonDocument Entity(CacheSnapshot snapshot, CacheEntityKind kind, ulong id, ulong guildId = GuildId)
    {
        Assert.True(snapshot.TryGetEntity(guildId, kind, id, out ReadOnlyMemory<byte> json), $"{kind} {id} missing");
        return JsonDocument.Parse(json);
    }
}
