using System.Text.Json.Nodes;

namespace GatewayProxy.Simulator.Data;

/// <summary>Builds single Discord entities (users, members, roles, channels, presences...) in their wire shape.</summary>
internal static class EntityFactory
{
    private static readonly string[] Statuses = ["online", "idle", "dnd"];

    /// <summary>A user object.</summary>
    public static JsonObject User(ulong id, string username, bool bot) => new JsonObject()
    {
        ["id"] = Json.Id(id),
        ["username"] = username,
        ["global_name"] = bot ? null : username.Replace('_', ' '),
        ["discriminator"] = "0",
        ["avatar"] = null,
        ["avatar_decoration_data"] = null,
        ["public_flags"] = 0,
        ["primary_guild"] = null,
        ["clan"] = null,
        ["bot"] = bot ? true : null,
    }.WithoutNulls("bot");

    /// <summary>A guild member object.</summary>
    public static JsonObject Member(JsonObject user, JsonArray roles, string? nick, DateTimeOffset joinedAt) => new()
    {
        ["user"] = user,
        ["roles"] = roles,
        ["nick"] = nick,
        ["avatar"] = null,
        ["banner"] = null,
        ["joined_at"] = Json.Timestamp(joinedAt),
        ["premium_since"] = null,
        ["deaf"] = false,
        ["mute"] = false,
        ["pending"] = false,
        ["flags"] = 0,
        ["communication_disabled_until"] = null,
        ["unusual_dm_activity_until"] = null,
    };

    /// <summary>A role with <c>colors</c> (clients such as oceanic.js need it).</summary>
    public static JsonObject Role(ulong id, string name, int color, int position, string permissions, bool managed, ulong? botId) => new JsonObject()
    {
        ["id"] = Json.Id(id),
        ["name"] = name,
        ["description"] = null,
        ["permissions"] = permissions,
        ["position"] = position,
        ["color"] = color,
        ["colors"] = new JsonObject { ["primary_color"] = color, ["secondary_color"] = null, ["tertiary_color"] = null },
        ["hoist"] = position > 0 && !managed && (position & 1) == 1,
        ["managed"] = managed,
        ["mentionable"] = false,
        ["icon"] = null,
        ["unicode_emoji"] = null,
        ["flags"] = 0,
        ["tags"] = botId is { } b ? new JsonObject { ["bot_id"] = Json.Id(b) } : null,
    }.WithoutNulls("tags");

    /// <summary>A guild channel (as GUILD_CREATE lists it: without <c>guild_id</c>).</summary>
    public static JsonObject Channel(ulong id, int type, string name, int position, ulong? parentId)
    {
        var channel = new JsonObject
        {
            ["id"] = Json.Id(id),
            ["type"] = type,
            ["name"] = name,
            ["position"] = position,
            ["permission_overwrites"] = new JsonArray(),
            ["flags"] = 0,
            ["parent_id"] = parentId is { } p ? Json.Id(p) : null,
        };
        switch (type)
        {
            case 0:
                channel["topic"] = null;
                channel["nsfw"] = false;
                channel["last_message_id"] = null;
                channel["rate_limit_per_user"] = 0;
                channel["last_pin_timestamp"] = null;
                channel["default_thread_rate_limit_per_user"] = 0;
                break;
            case 2:
            case 13:
                channel["bitrate"] = 64000;
                channel["user_limit"] = 0;
                channel["rtc_region"] = null;
                channel["last_message_id"] = null;
                channel["rate_limit_per_user"] = 0;
                channel["nsfw"] = false;
                if (type == 2)
                {
                    channel["voice_background_display"] = null;
                }
                else
                {
                    channel["topic"] = null;
                }

                break;
        }

        return channel;
    }

    /// <summary>A public thread under <paramref name="parentId"/>.</summary>
    public static JsonObject Thread(ulong id, ulong guildId, ulong parentId, ulong ownerId, string name) => new()
    {
        ["id"] = Json.Id(id),
        ["type"] = 11,
        ["guild_id"] = Json.Id(guildId),
        ["parent_id"] = Json.Id(parentId),
        ["owner_id"] = Json.Id(ownerId),
        ["name"] = name,
        ["last_message_id"] = null,
        ["message_count"] = 0,
        ["member_count"] = 1,
        ["total_message_sent"] = 0,
        ["rate_limit_per_user"] = 0,
        ["flags"] = 0,
        ["applied_tags"] = new JsonArray(),
        ["thread_metadata"] = new JsonObject
        {
            ["archived"] = false,
            ["archive_timestamp"] = Json.Timestamp(SnowflakeFactory.TimeOf(id)),
            ["auto_archive_duration"] = 1440,
            ["locked"] = false,
            ["create_timestamp"] = Json.Timestamp(SnowflakeFactory.TimeOf(id)),
        },
    };

    /// <summary>A presence as GUILD_CREATE lists it (PRESENCE_UPDATE adds <c>guild_id</c>).</summary>
    public static JsonObject Presence(string userId, Random rng)
    {
        var status = Statuses[rng.Next(Statuses.Length)];
        return Presence(userId, status, rng.Next(3) == 0 ? Names.Pair(rng) : null);
    }

    /// <summary>A presence with a given status and an optional "Playing" activity.</summary>
    public static JsonObject Presence(string userId, string status, string? game)
    {
        var activities = new JsonArray();
        if (game is not null)
        {
            activities.Add(new JsonObject { ["name"] = game, ["type"] = 0, ["id"] = "ec0b28a579ecb4bd", ["created_at"] = 1_700_000_000_000 });
        }

        return new JsonObject
        {
            ["user"] = new JsonObject { ["id"] = userId },
            ["status"] = status,
            ["client_status"] = new JsonObject { ["desktop"] = status },
            ["broadcast"] = null,
            ["activities"] = activities,
        };
    }

    /// <summary>A voice state as GUILD_CREATE lists it (VOICE_STATE_UPDATE adds <c>guild_id</c> and <c>member</c>).</summary>
    public static JsonObject VoiceState(string userId, string channelId, string sessionId) => new()
    {
        ["user_id"] = userId,
        ["channel_id"] = channelId,
        ["session_id"] = sessionId,
        ["deaf"] = false,
        ["mute"] = false,
        ["self_deaf"] = false,
        ["self_mute"] = false,
        ["self_video"] = false,
        ["suppress"] = false,
        ["request_to_speak_timestamp"] = null,
    };

    /// <summary>Removes the listed keys when their value is null (Discord omits them rather than sending null).</summary>
    private static JsonObject WithoutNulls(this JsonObject obj, params string[] keys)
    {
        foreach (var key in keys)
        {
            if (obj.TryGetPropertyValue(key, out var value) && value is null)
            {
                obj.Remove(key);
            }
        }

        return obj;
    }
}
