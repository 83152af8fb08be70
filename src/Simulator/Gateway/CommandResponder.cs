using GatewayProxy.Protocol.Gateway;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using GatewayProxy.Simulator.Data;
using GatewayProxy.Simulator.Sessions;

namespace GatewayProxy.Simulator.Gateway;

/// <summary>
/// Answers the shard commands as Discord does: op 8 with GUILD_MEMBERS_CHUNKs (nonce kept), op 3 and op 4 by changing
/// the bot's presence / voice state (and dispatching the change), op 31 with SOUNDBOARD_SOUNDS. Callers hold the shard's lock.
/// </summary>
internal static class CommandResponder
{
    /// <summary>Members per GUILD_MEMBERS_CHUNK.</summary>
    public const int ChunkSize = 1000;

    /// <summary>op 8: false when the payload is not a valid request.</summary>
    public static bool RequestGuildMembers(ShardRuntime shard, GatewaySession session, JsonElement d)
    {
        if (d.ValueKind != JsonValueKind.Object || !d.TryGetProperty("guild_id", out var guildIds))
        {
            return false;
        }

        var query = d.TryGetProperty("query", out var q) && q.ValueKind == JsonValueKind.String ? q.GetString() : null;
        var limit = d.TryGetProperty("limit", out var l) && l.TryInt32(out var lv) ? lv : 0;
        var presences = d.TryGetProperty("presences", out var p) && p.ValueKind == JsonValueKind.True;
        string? nonce = null;
        if (d.TryGetProperty("nonce", out var n) && n.ValueKind == JsonValueKind.String && Encoding.UTF8.GetByteCount(n.GetString()!) <= 32)
        {
            // Discord drops a nonce over 32 bytes.
            nonce = n.GetString();
        }

        List<string>? userIds = null;
        if (d.TryGetProperty("user_ids", out var ids) && ids.ValueKind != JsonValueKind.Null)
        {
            userIds = Strings(ids);
            if (userIds is null)
            {
                return false;
            }
        }
        else if (query is null)
        {
            return false;
        }

        var guilds = Strings(guildIds);
        if (guilds is null)
        {
            return false;
        }

        foreach (var guildId in guilds)
        {
            // Guilds of other shards are ignored, as Discord does.
            if (shard.Data.ById.TryGetValue(guildId, out var guild))
            {
                SendChunks(shard, session, guild, query, limit, presences && (session.Intents & GatewayIntents.GuildPresences) != 0, userIds, nonce);
            }
        }

        return true;
    }

    private static void SendChunks(ShardRuntime shard, GatewaySession session, GuildData guild, string? query, int limit, bool presences, List<string>? userIds, string? nonce)
    {
        var members = new List<JsonObject>();
        var notFound = new JsonArray();
        if (userIds is not null)
        {
            foreach (var id in userIds)
            {
                if (guild.Members.TryGetValue(id, out var member))
                {
                    members.Add(member);
                }
                else
                {
                    notFound.Add(id);
                }
            }
        }
        else
        {
            var max = limit <= 0 ? int.MaxValue : limit;
            foreach (var node in guild.MemberArray)
            {
                var member = (JsonObject)node!;
                if (members.Count < max && Matches(member, query!))
                {
                    members.Add(member);
                }
            }
        }

        var chunkCount = Math.Max(1, (members.Count + ChunkSize - 1) / ChunkSize);
        for (var chunk = 0; chunk < chunkCount; chunk++)
        {
            var list = new JsonArray();
            var presenceList = new JsonArray();
            for (var i = chunk * ChunkSize; i < Math.Min(members.Count, (chunk + 1) * ChunkSize); i++)
            {
                list.Add(members[i].DeepClone());
                var userId = Json.Str((JsonObject)members[i]["user"]!, "id")!;
                if (presences && guild.Presences.TryGetValue(userId, out var presence))
                {
                    presenceList.Add(presence.DeepClone());
                }
            }

            var data = new JsonObject
            {
                ["guild_id"] = guild.IdString,
                ["members"] = list,
                ["chunk_index"] = chunk,
                ["chunk_count"] = chunkCount,
            };
            if (userIds is not null && chunk == 0 && notFound.Count > 0)
            {
                data["not_found"] = notFound;
            }

            if (presences)
            {
                data["presences"] = presenceList;
            }

            if (nonce is not null)
            {
                data["nonce"] = nonce;
            }

            shard.SendLocked(session, "GUILD_MEMBERS_CHUNK", Json.ToBytes(data));
        }
    }

    private static bool Matches(JsonObject member, string query)
    {
        if (query.Length == 0)
        {
            return true;
        }

        var user = (JsonObject)member["user"]!;
        return (Json.Str(user, "username")?.StartsWith(query, StringComparison.OrdinalIgnoreCase) ?? false)
            || (Json.Str(member, "nick")?.StartsWith(query, StringComparison.OrdinalIgnoreCase) ?? false);
    }

    /// <summary>op 3: the bot's presence changes in every guild of the shard; false when the payload is invalid.</summary>
    public static bool UpdatePresence(ShardRuntime shard, string botUserId, JsonElement d)
    {
        if (d.ValueKind != JsonValueKind.Object || !d.TryGetProperty("status", out var s) || s.ValueKind != JsonValueKind.String)
        {
            return false;
        }

        var status = s.GetString()!;
        if (status is not ("online" or "idle" or "dnd" or "invisible" or "offline"))
        {
            return false;
        }

        string? game = null;
        if (d.TryGetProperty("activities", out var activities) && activities.ValueKind == JsonValueKind.Array && activities.GetArrayLength() > 0
            && activities[0].ValueKind == JsonValueKind.Object && activities[0].TryGetProperty("name", out var name) && name.ValueKind == JsonValueKind.String)
        {
            game = name.GetString();
        }

        foreach (var guild in shard.Data.Guilds)
        {
            var data = EventGenerator.SetPresence(guild, botUserId, status == "invisible" ? "offline" : status, game);
            shard.DispatchLocked(new LiveEvent("PRESENCE_UPDATE", data));
        }

        return true;
    }

    /// <summary>op 4: the bot joins, moves or leaves voice; VOICE_STATE_UPDATE to all, VOICE_SERVER_UPDATE to the requester on join.</summary>
    public static bool UpdateVoiceState(ShardRuntime shard, GatewaySession session, string botUserId, JsonElement d)
    {
        if (d.ValueKind != JsonValueKind.Object || !d.TryGetProperty("guild_id", out var g) || g.ValueKind != JsonValueKind.String
            || !d.TryGetProperty("channel_id", out var c) || c.ValueKind is not (JsonValueKind.String or JsonValueKind.Null))
        {
            return false;
        }

        if (!shard.Data.ById.TryGetValue(g.GetString()!, out var guild) || !guild.Members.TryGetValue(botUserId, out var bot))
        {
            return true;
        }

        var channelId = c.ValueKind == JsonValueKind.String ? c.GetString() : null;
        if (channelId is not null && (GuildData.FindById(guild.ChannelArray, channelId) is not { } channel || (int)channel["type"]! is not (2 or 13)))
        {
            // Not a voice channel of this guild: Discord ignores it.
            return true;
        }

        var selfMute = d.TryGetProperty("self_mute", out var m) && m.ValueKind == JsonValueKind.True;
        var selfDeaf = d.TryGetProperty("self_deaf", out var df) && df.ValueKind == JsonValueKind.True;
        var sessionId = session.Id;
        var data = EventGenerator.SetVoiceState(guild, bot, channelId, sessionId, selfMute, selfDeaf);
        shard.DispatchLocked(new LiveEvent("VOICE_STATE_UPDATE", data));
        if (channelId is not null)
        {
            shard.SendLocked(session, "VOICE_SERVER_UPDATE", Json.ToBytes(new JsonObject
            {
                ["token"] = Convert.ToHexStringLower(BitConverter.GetBytes(guild.Id)),
                ["guild_id"] = guild.IdString,
                ["endpoint"] = "voice.simulator.invalid:443",
            }));
        }

        return true;
    }

    /// <summary>op 31: one SOUNDBOARD_SOUNDS per requested guild of this shard, to the requester.</summary>
    public static bool RequestSoundboardSounds(ShardRuntime shard, GatewaySession session, JsonElement d)
    {
        if (d.ValueKind != JsonValueKind.Object || !d.TryGetProperty("guild_ids", out var ids) || Strings(ids) is not { } guildIds)
        {
            return false;
        }

        foreach (var id in guildIds)
        {
            if (shard.Data.ById.TryGetValue(id, out var guild))
            {
                shard.SendLocked(session, "SOUNDBOARD_SOUNDS", Json.ToBytes(new JsonObject
                {
                    ["soundboard_sounds"] = guild.Guild["soundboard_sounds"]!.DeepClone(),
                    ["guild_id"] = guild.IdString,
                }));
            }
        }

        return true;
    }

    /// <summary>A string or an array of strings, as a list; null when it is neither.</summary>
    private static List<string>? Strings(JsonElement element)
    {
        if (element.ValueKind == JsonValueKind.String)
        {
            return [element.GetString()!];
        }

        if (element.ValueKind != JsonValueKind.Array)
        {
            return null;
        }

        var list = new List<string>();
        foreach (var item in element.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.String)
            {
                return null;
            }

            list.Add(item.GetString()!);
        }

        return list;
    }
}
