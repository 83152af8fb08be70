using System.Text.Json.Nodes;

namespace GatewayProxy.Simulator.Data;

/// <summary>The parts of a guild beyond members and channels: emojis, stickers, a stage instance, a scheduled event, a soundboard sound.</summary>
internal sealed partial class GuildGenerator
{
    private (JsonArray Emojis, JsonArray Stickers, JsonArray StageInstances, JsonArray ScheduledEvents, JsonArray Soundboard) MakeExpressionsAndEvents(string gid, ulong stageId, string owner)
    {
        var emojis = new JsonArray();
        for (var e = 0; e < 3; e++)
        {
            emojis.Add(new JsonObject
            {
                ["id"] = Json.Id(_ids.Next()),
                ["name"] = $"sim_emoji_{e}",
                ["roles"] = new JsonArray(),
                ["require_colons"] = true,
                ["managed"] = false,
                ["animated"] = e == 2,
                ["available"] = true,
            });
        }

        var stickers = new JsonArray
        {
            new JsonObject
            {
                ["id"] = Json.Id(_ids.Next()),
                ["name"] = "sim sticker",
                ["tags"] = "smile",
                ["type"] = 2,
                ["format_type"] = 1,
                ["description"] = "a generated sticker",
                ["asset"] = "",
                ["available"] = true,
                ["guild_id"] = gid,
            },
        };

        var eventId = _ids.Next();
        var stageInstances = new JsonArray
        {
            new JsonObject
            {
                ["id"] = Json.Id(_ids.Next()),
                ["guild_id"] = gid,
                ["channel_id"] = Json.Id(stageId),
                ["topic"] = "Weekly stage",
                ["privacy_level"] = 2,
                ["discoverable_disabled"] = false,
                ["guild_scheduled_event_id"] = Json.Id(eventId),
            },
        };

        var eventStart = SnowflakeFactory.TimeOf(eventId).AddDays(7);
        var scheduledEvents = new JsonArray
        {
            new JsonObject
            {
                ["id"] = Json.Id(eventId),
                ["guild_id"] = gid,
                ["channel_id"] = Json.Id(stageId),
                ["creator_id"] = owner,
                ["name"] = "Community call",
                ["description"] = "Generated event",
                ["scheduled_start_time"] = Json.Timestamp(eventStart),
                ["scheduled_end_time"] = null,
                ["privacy_level"] = 2,
                ["status"] = 1,
                ["entity_type"] = 1,
                ["entity_id"] = null,
                ["entity_metadata"] = null,
                ["image"] = null,
                ["recurrence_rule"] = null,
                ["user_count"] = 0,
            },
        };

        var soundboard = new JsonArray
        {
            new JsonObject
            {
                ["sound_id"] = Json.Id(_ids.Next()),
                ["name"] = "sim honk",
                ["volume"] = 1.0,
                ["emoji_id"] = null,
                ["emoji_name"] = "📯",
                ["guild_id"] = gid,
                ["available"] = true,
            },
        };

        return (emojis, stickers, stageInstances, scheduledEvents, soundboard);
    }
}
