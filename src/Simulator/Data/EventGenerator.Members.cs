using System.Text.Json.Nodes;

namespace GatewayProxy.Simulator.Data;

/// <summary>Member, presence and voice events.</summary>
internal sealed partial class EventGenerator
{
    private static readonly string[] Statuses = ["online", "idle", "dnd", "offline"];

    private bool MemberAdd(GuildData guild, List<LiveEvent> output)
    {
        var user = EntityFactory.User(_shard.Ids.Next(), Names.User(Rng), bot: false);
        var member = EntityFactory.Member(user, new JsonArray(), null, Now);
        guild.MemberArray.Add(member);
        guild.Members[Json.Str(user, "id")!] = member;
        guild.MemberCount++;
        var data = Json.Clone(member);
        data["guild_id"] = guild.IdString;
        output.Add(new LiveEvent("GUILD_MEMBER_ADD", data));
        return true;
    }

    private bool MemberUpdate(GuildData guild, List<LiveEvent> output)
    {
        var member = PickMember(guild);
        if (member is null)
        {
            return false;
        }

        var roles = (JsonArray)member["roles"]!;
        if (Rng.Next(2) == 0)
        {
            member["nick"] = member["nick"] is null ? Names.Pair(Rng) : null;
        }
        else if (roles.Count > 0 && Rng.Next(2) == 0)
        {
            roles.RemoveAt(Rng.Next(roles.Count));
        }
        else
        {
            var candidates = AssignableRoles(guild);
            if (candidates.Count == 0)
            {
                return false;
            }

            var role = Pick(candidates);
            if (Contains(roles, role))
            {
                roles.Remove(FindValue(roles, role));
            }
            else
            {
                roles.Add(role);
            }
        }

        var data = Json.Clone(member);
        data["guild_id"] = guild.IdString;
        output.Add(new LiveEvent("GUILD_MEMBER_UPDATE", data));
        return true;
    }

    private bool MemberRemove(GuildData guild, List<LiveEvent> output)
    {
        var owner = Json.Str(guild.Guild, "owner_id");
        var member = PickMember(guild, (id, _) => id != owner && !guild.VoiceStates.ContainsKey(id));
        if (member is null)
        {
            return false;
        }

        var userId = UserId(member);
        guild.MemberArray.Remove(member);
        guild.Members.Remove(userId);
        if (guild.Presences.Remove(userId, out var presence))
        {
            guild.PresenceArray.Remove(presence);
        }

        guild.MemberCount--;
        output.Add(new LiveEvent("GUILD_MEMBER_REMOVE", new JsonObject
        {
            ["user"] = member["user"]!.DeepClone(),
            ["guild_id"] = guild.IdString,
        }));
        return true;
    }

    private bool PresenceUpdate(GuildData guild, List<LiveEvent> output)
    {
        var member = PickMember(guild);
        if (member is null)
        {
            return false;
        }

        var userId = UserId(member);
        var status = Statuses[Rng.Next(Statuses.Length)];
        output.Add(new LiveEvent("PRESENCE_UPDATE", SetPresence(guild, userId, status, Rng.Next(3) == 0 ? Names.Pair(Rng) : null)));
        return true;
    }

    /// <summary>Applies a presence to the state and returns the PRESENCE_UPDATE body (offline members leave <c>presences</c>).</summary>
    internal static JsonObject SetPresence(GuildData guild, string userId, string status, string? game)
    {
        if (guild.Presences.Remove(userId, out var old))
        {
            guild.PresenceArray.Remove(old);
        }

        JsonObject data;
        if (status == "offline")
        {
            data = new JsonObject
            {
                ["user"] = new JsonObject { ["id"] = userId },
                ["status"] = "offline",
                ["client_status"] = new JsonObject(),
                ["broadcast"] = null,
                ["activities"] = new JsonArray(),
            };
        }
        else
        {
            var presence = EntityFactory.Presence(userId, status, game);
            guild.PresenceArray.Add(presence);
            guild.Presences[userId] = presence;
            data = Json.Clone(presence);
        }

        data["guild_id"] = guild.IdString;
        return data;
    }

    private bool VoiceStateUpdate(GuildData guild, List<LiveEvent> output)
    {
        var voiceChannels = guild.ChannelsOfType(2);
        if (voiceChannels.Count == 0)
        {
            return false;
        }

        // Leave or move someone already in voice half of the time; otherwise someone joins.
        JsonObject? member;
        string? channelId;
        if (guild.VoiceStates.Count > 0 && Rng.Next(2) == 0)
        {
            member = PickMember(guild, (id, _) => guild.VoiceStates.ContainsKey(id));
            channelId = Rng.Next(2) == 0 ? null : Json.Str(Pick(voiceChannels), "id");
        }
        else
        {
            member = PickMember(guild, (id, _) => !guild.VoiceStates.ContainsKey(id));
            channelId = Json.Str(Pick(voiceChannels), "id");
        }

        if (member is null)
        {
            return false;
        }

        output.Add(new LiveEvent("VOICE_STATE_UPDATE", SetVoiceState(guild, member, channelId, SessionId())));
        return true;
    }

    /// <summary>Applies a voice state change to the state and returns the VOICE_STATE_UPDATE body.</summary>
    internal static JsonObject SetVoiceState(GuildData guild, JsonObject member, string? channelId, string sessionId, bool selfMute = false, bool selfDeaf = false)
    {
        var userId = UserId(member);
        if (guild.VoiceStates.Remove(userId, out var old))
        {
            guild.VoiceStateArray.Remove(old);
            sessionId = Json.Str(old, "session_id") ?? sessionId;
        }

        var state = EntityFactory.VoiceState(userId, channelId ?? "", sessionId);
        state["channel_id"] = channelId;
        state["self_mute"] = selfMute;
        state["self_deaf"] = selfDeaf;
        if (channelId is not null)
        {
            guild.VoiceStateArray.Add(state);
            guild.VoiceStates[userId] = state;
        }

        var data = Json.Clone(state);
        data["member"] = member.DeepClone();
        data["guild_id"] = guild.IdString;
        return data;
    }

    private string SessionId() => Convert.ToHexStringLower(BitConverter.GetBytes(Rng.NextInt64())) + Convert.ToHexStringLower(BitConverter.GetBytes(Rng.NextInt64()));

    /// <summary>Roles a member can be given: not @everyone, not managed.</summary>
    private static List<string> AssignableRoles(GuildData guild)
    {
        var list = new List<string>();
        foreach (var node in guild.RoleArray)
        {
            var role = (JsonObject)node!;
            var id = Json.Str(role, "id")!;
            if (id != guild.IdString && !(bool)role["managed"]!)
            {
                list.Add(id);
            }
        }

        return list;
    }

    private static bool Contains(JsonArray array, string value) => FindValue(array, value) is not null;

    private static JsonNode? FindValue(JsonArray array, string value)
    {
        foreach (var node in array)
        {
            if (node is JsonValue v && v.TryGetValue(out string? s) && s == value)
            {
                return node;
            }
        }

        return null;
    }
}
