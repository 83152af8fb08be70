using System.Text.Json.Nodes;

namespace GatewayProxy.Simulator.Data;

/// <summary>Message and typing events.</summary>
internal sealed partial class EventGenerator
{
    private bool MessageCreate(GuildData guild, List<LiveEvent> output)
    {
        var author = PickMember(guild);
        if (author is null)
        {
            return false;
        }

        // One message in five goes to a thread, as in a busy guild.
        JsonObject? channel = null;
        var inThread = guild.ThreadArray.Count > 0 && Rng.Next(5) == 0;
        if (inThread)
        {
            channel = (JsonObject)guild.ThreadArray[Rng.Next(guild.ThreadArray.Count)]!;
        }
        else
        {
            var texts = guild.ChannelsOfType(0);
            if (texts.Count == 0)
            {
                return false;
            }

            channel = Pick(texts);
        }

        var id = _shard.Ids.Next();
        var message = new JsonObject
        {
            ["type"] = 0,
            ["tts"] = false,
            ["timestamp"] = Json.Timestamp(SnowflakeFactory.TimeOf(id)),
            ["pinned"] = false,
            ["mentions"] = new JsonArray(),
            ["mention_roles"] = new JsonArray(),
            ["mention_everyone"] = false,
            ["member"] = MemberWithoutUser(author),
            ["id"] = Json.Id(id),
            ["flags"] = 0,
            ["embeds"] = new JsonArray(),
            ["edited_timestamp"] = null,
            ["content"] = Names.Sentence(Rng),
            ["components"] = new JsonArray(),
            ["channel_type"] = (int)channel["type"]!,
            ["channel_id"] = Json.Str(channel, "id"),
            ["author"] = author["user"]!.DeepClone(),
            ["attachments"] = new JsonArray(),
            ["guild_id"] = guild.IdString,
        };

        channel["last_message_id"] = Json.Id(id);
        if (inThread)
        {
            channel["message_count"] = (int)channel["message_count"]! + 1;
            channel["total_message_sent"] = (int)channel["total_message_sent"]! + 1;
        }

        guild.RecentMessages.Add(Json.Clone(message));
        if (guild.RecentMessages.Count > RecentMessageLimit)
        {
            guild.RecentMessages.RemoveAt(0);
        }

        output.Add(new LiveEvent("MESSAGE_CREATE", message));
        return true;
    }

    private bool MessageUpdate(GuildData guild, List<LiveEvent> output)
    {
        if (guild.RecentMessages.Count == 0)
        {
            return false;
        }

        var message = guild.RecentMessages[Rng.Next(guild.RecentMessages.Count)];
        message["content"] = Names.Sentence(Rng) + " (edited)";
        message["edited_timestamp"] = Json.Timestamp(Now);
        output.Add(new LiveEvent("MESSAGE_UPDATE", Json.Clone(message)));
        return true;
    }

    private bool MessageDelete(GuildData guild, List<LiveEvent> output)
    {
        if (guild.RecentMessages.Count == 0)
        {
            return false;
        }

        var index = Rng.Next(guild.RecentMessages.Count);
        var message = guild.RecentMessages[index];
        guild.RecentMessages.RemoveAt(index);
        var channelId = Json.Str(message, "channel_id")!;
        if (GuildData.FindById(guild.ThreadArray, channelId) is { } thread)
        {
            thread["message_count"] = Math.Max(0, (int)thread["message_count"]! - 1);
        }

        output.Add(new LiveEvent("MESSAGE_DELETE", new JsonObject
        {
            ["id"] = Json.Str(message, "id"),
            ["channel_id"] = channelId,
            ["guild_id"] = guild.IdString,
        }));
        return true;
    }

    private bool TypingStart(GuildData guild, List<LiveEvent> output)
    {
        var member = PickMember(guild);
        var texts = guild.ChannelsOfType(0);
        if (member is null || texts.Count == 0)
        {
            return false;
        }

        output.Add(new LiveEvent("TYPING_START", new JsonObject
        {
            ["user_id"] = UserId(member),
            ["timestamp"] = Now.ToUnixTimeSeconds(),
            ["member"] = member.DeepClone(),
            ["channel_id"] = Json.Str(Pick(texts), "id"),
            ["guild_id"] = guild.IdString,
        }));
        return true;
    }
}
