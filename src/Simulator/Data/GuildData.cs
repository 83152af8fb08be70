using System.Text.Json.Nodes;

namespace GatewayProxy.Simulator.Data;

/// <summary>One generated guild: its full GUILD_CREATE object (every member and presence) plus indexes and recent messages.</summary>
internal sealed class GuildData
{
    /// <summary>Wraps a generated guild object and indexes its lists.</summary>
    public GuildData(ulong id, JsonObject guild)
    {
        Id = id;
        IdString = Json.Str(guild, "id")!;
        Guild = guild;
        foreach (var node in MemberArray)
        {
            var member = (JsonObject)node!;
            Members[Json.Str((JsonObject)member["user"]!, "id")!] = member;
        }

        foreach (var node in PresenceArray)
        {
            var presence = (JsonObject)node!;
            Presences[Json.Str((JsonObject)presence["user"]!, "id")!] = presence;
        }

        foreach (var node in VoiceStateArray)
        {
            var state = (JsonObject)node!;
            VoiceStates[Json.Str(state, "user_id")!] = state;
        }
    }

    /// <summary>The guild id.</summary>
    public ulong Id { get; }

    /// <summary>The guild id as Discord writes it.</summary>
    public string IdString { get; }

    /// <summary>The full guild: what GUILD_CREATE holds for a client with every intent and no size limit.</summary>
    public JsonObject Guild { get; }

    /// <summary>Members by user id (the objects inside <c>members</c>).</summary>
    public Dictionary<string, JsonObject> Members { get; } = new(StringComparer.Ordinal);

    /// <summary>Presences of members that are not offline, by user id.</summary>
    public Dictionary<string, JsonObject> Presences { get; } = new(StringComparer.Ordinal);

    /// <summary>Voice states by user id.</summary>
    public Dictionary<string, JsonObject> VoiceStates { get; } = new(StringComparer.Ordinal);

    /// <summary>Recent messages (not part of GUILD_CREATE), so updates and deletes name real messages.</summary>
    public List<JsonObject> RecentMessages { get; } = [];

    /// <summary>The <c>members</c> array.</summary>
    public JsonArray MemberArray => (JsonArray)Guild["members"]!;

    /// <summary>The <c>presences</c> array.</summary>
    public JsonArray PresenceArray => (JsonArray)Guild["presences"]!;

    /// <summary>The <c>voice_states</c> array.</summary>
    public JsonArray VoiceStateArray => (JsonArray)Guild["voice_states"]!;

    /// <summary>The <c>channels</c> array.</summary>
    public JsonArray ChannelArray => (JsonArray)Guild["channels"]!;

    /// <summary>The <c>threads</c> array.</summary>
    public JsonArray ThreadArray => (JsonArray)Guild["threads"]!;

    /// <summary>The <c>roles</c> array.</summary>
    public JsonArray RoleArray => (JsonArray)Guild["roles"]!;

    /// <summary>The <c>emojis</c> array.</summary>
    public JsonArray EmojiArray => (JsonArray)Guild["emojis"]!;

    /// <summary>member_count.</summary>
    public int MemberCount
    {
        get => (int)Guild["member_count"]!;
        set => Guild["member_count"] = value;
    }

    /// <summary>Channels of a type (0 text, 2 voice, 4 category, 13 stage).</summary>
    public List<JsonObject> ChannelsOfType(int type)
    {
        var list = new List<JsonObject>();
        foreach (var node in ChannelArray)
        {
            if ((int)node!["type"]! == type)
            {
                list.Add((JsonObject)node);
            }
        }

        return list;
    }

    /// <summary>Finds an element of an array by its <c>id</c>.</summary>
    public static JsonObject? FindById(JsonArray array, string id)
    {
        foreach (var node in array)
        {
            if (node is JsonObject obj && Json.Str(obj, "id") == id)
            {
                return obj;
            }
        }

        return null;
    }
}
