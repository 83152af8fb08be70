using GatewayProxy.Protocol.Gateway;
using System.Text.Json.Nodes;
using GatewayProxy.Simulator.Gateway;

namespace GatewayProxy.Simulator.Data;

/// <summary>What a session sees of a guild: GUILD_CREATE shaped by its intents and large_threshold, and the GUILD_UPDATE shape.</summary>
internal static class GuildViews
{
    /// <summary>Keys only GUILD_CREATE carries (GUILD_UPDATE leaves them out).</summary>
    private static readonly HashSet<string> CreateOnlyKeys = new(StringComparer.Ordinal)
    {
        "joined_at", "large", "unavailable", "member_count", "voice_states", "members", "channels", "threads", "presences",
        "stage_instances", "guild_scheduled_events", "soundboard_sounds", "embedded_activities", "activity_instances",
        "application_command_counts", "lazy",
    };

    /// <summary>
    /// GUILD_CREATE's <c>d</c> serialized for a session: a cold guild whose view is the whole guild (presence intent,
    /// not large) is its cold bytes (generated, or frozen), not parsed and filtered; otherwise <see cref="GuildCreate"/> serialized.
    /// </summary>
    public static byte[] GuildCreateBytes(GuildData guild, long intents, int largeThreshold, string botUserId)
    {
        if (guild.IsCold && (intents & GatewayIntents.GuildPresences) != 0 && guild.MemberCount <= largeThreshold)
        {
            return guild.ColdBytes()!;
        }

        return Json.ToBytes(GuildCreate(guild, intents, largeThreshold, botUserId));
    }

    /// <summary>
    /// GUILD_CREATE for a session: without GUILD_PRESENCES only the bot and members in voice (and no presences);
    /// above large_threshold only members that are online, have a role or a nick, or are in voice.
    /// </summary>
    public static JsonObject GuildCreate(GuildData guild, long intents, int largeThreshold, string botUserId)
    {
        var large = guild.MemberCount > largeThreshold;
        var presences = (intents & GatewayIntents.GuildPresences) != 0;
        if (guild.IsCold)
        {
            // Reading a view must not thaw a cold guild for good (that is what keeps a large world small): filter a fresh
            // tree in place. Without presences only the bot and voice members are listed, so most members need not exist.
            var tree = presences ? guild.ColdTree() : guild.ColdTreeWithVoiceMembers()!;
            var fresh = new GuildData(guild.Id, tree);
            var members = fresh.MemberArray;
            for (var i = members.Count - 1; i >= 0; i--)
            {
                var member = (JsonObject)members[i]!;
                if (!IsListed(fresh, Json.Str((JsonObject)member["user"]!, "id")!, member, presences, large, botUserId))
                {
                    members.RemoveAt(i);
                }
            }

            if (!presences)
            {
                fresh.PresenceArray.Clear();
            }

            tree["large"] = large;
            return tree;
        }

        var view = new JsonObject();
        foreach (var (key, value) in guild.Guild)
        {
            switch (key)
            {
                case "members":
                    view[key] = Members(guild, presences, large, botUserId);
                    break;
                case "presences":
                    view[key] = presences ? (JsonArray)guild.PresenceArray.DeepClone() : new JsonArray();
                    break;
                case "large":
                    view[key] = large;
                    break;
                default:
                    view[key] = value?.DeepClone();
                    break;
            }
        }

        return view;
    }

    /// <summary>GUILD_UPDATE: the guild object without the GUILD_CREATE-only keys.</summary>
    public static JsonObject GuildUpdate(GuildData guild)
    {
        var view = new JsonObject();
        foreach (var (key, value) in guild.Guild)
        {
            if (!CreateOnlyKeys.Contains(key))
            {
                view[key] = value?.DeepClone();
            }
        }

        return view;
    }

    /// <summary>True when a member is listed in GUILD_CREATE for a session with these settings.</summary>
    public static bool IsListed(GuildData guild, string userId, JsonObject member, bool presenceIntent, bool large, string botUserId)
    {
        if (userId == botUserId || guild.VoiceStates.ContainsKey(userId))
        {
            return true;
        }

        if (!presenceIntent)
        {
            return false;
        }

        return !large || guild.Presences.ContainsKey(userId) || member["nick"] is not null || ((JsonArray)member["roles"]!).Count > 0;
    }

    private static JsonArray Members(GuildData guild, bool presenceIntent, bool large, string botUserId)
    {
        var list = new JsonArray();
        foreach (var node in guild.MemberArray)
        {
            var member = (JsonObject)node!;
            var userId = Json.Str((JsonObject)member["user"]!, "id")!;
            if (IsListed(guild, userId, member, presenceIntent, large, botUserId))
            {
                list.Add(member.DeepClone());
            }
        }

        return list;
    }
}
