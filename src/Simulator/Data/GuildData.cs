using System.Text.Json.Nodes;

namespace GatewayProxy.Simulator.Data;

/// <summary>
/// One generated guild: its full GUILD_CREATE object (every member and presence) plus indexes and recent messages.
/// A freshly generated guild is cold — only its serialized UTF-8 bytes are held (a JsonNode tree costs ~15× more,
/// which kept 100k-guild runs out of reach); the first access that may change it parses the tree back (thaws it).
/// </summary>
internal sealed class GuildData
{
    private byte[]? _cold;
    private int _coldMemberCount;
    private JsonObject? _guild;
    private Dictionary<string, JsonObject>? _members;
    private Dictionary<string, JsonObject>? _presences;
    private Dictionary<string, JsonObject>? _voiceStates;
    private List<JsonObject>? _recentMessages;

    /// <summary>Wraps a generated guild object and indexes its lists.</summary>
    public GuildData(ulong id, JsonObject guild)
    {
        Id = id;
        IdString = Json.Str(guild, "id")!;
        Thaw(guild);
    }

    /// <summary>A cold guild: its full object serialized with <see cref="Json.ToBytes"/> and its member_count.</summary>
    public GuildData(ulong id, string idString, int memberCount, byte[] utf8)
    {
        Id = id;
        IdString = idString;
        _coldMemberCount = memberCount;
        _cold = utf8;
    }

    /// <summary>The guild id.</summary>
    public ulong Id { get; }

    /// <summary>The guild id as Discord writes it.</summary>
    public string IdString { get; }

    /// <summary>True while only the serialized bytes are held (nothing has touched the guild since generation).</summary>
    public bool IsCold => _cold is not null;

    /// <summary>The serialized full guild while cold (what <see cref="Json.ToBytes"/> gives for <see cref="Guild"/>), else null.</summary>
    public byte[]? ColdBytes => _cold;

    /// <summary>The full guild: what GUILD_CREATE holds for a client with every intent and no size limit.</summary>
    public JsonObject Guild => _guild ?? ThawCold();

    /// <summary>Members by user id (the objects inside <c>members</c>).</summary>
    public Dictionary<string, JsonObject> Members => _members ?? Hot(ref _members);

    /// <summary>Presences of members that are not offline, by user id.</summary>
    public Dictionary<string, JsonObject> Presences => _presences ?? Hot(ref _presences);

    /// <summary>Voice states by user id.</summary>
    public Dictionary<string, JsonObject> VoiceStates => _voiceStates ?? Hot(ref _voiceStates);

    /// <summary>Recent messages (not part of GUILD_CREATE), so updates and deletes name real messages.</summary>
    public List<JsonObject> RecentMessages => _recentMessages ??= [];

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

    /// <summary>member_count (read without thawing a cold guild).</summary>
    public int MemberCount
    {
        get => _cold is not null ? _coldMemberCount : (int)Guild["member_count"]!;
        set => Guild["member_count"] = value;
    }

    /// <summary>The UTF-8 length of the full guild object (without thawing a cold guild).</summary>
    public int JsonByteCount => _cold?.Length ?? Json.ToBytes(Guild).Length;

    /// <summary>A deep copy of the full guild (a cold guild is parsed into the copy and stays cold).</summary>
    public JsonObject Copy() => _cold is { } cold ? (JsonObject)JsonNode.Parse(cold)! : Json.Clone(Guild);

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

    private Dictionary<string, JsonObject> Hot(ref Dictionary<string, JsonObject>? index)
    {
        _ = Guild;
        return index!;
    }

    private JsonObject ThawCold()
    {
        var guild = (JsonObject)JsonNode.Parse(_cold!)!;
        Thaw(guild);
        return guild;
    }

    private void Thaw(JsonObject guild)
    {
        _guild = guild;
        _cold = null;
        _members = new(StringComparer.Ordinal);
        _presences = new(StringComparer.Ordinal);
        _voiceStates = new(StringComparer.Ordinal);
        foreach (var node in MemberArray)
        {
            var member = (JsonObject)node!;
            _members[Json.Str((JsonObject)member["user"]!, "id")!] = member;
        }

        foreach (var node in PresenceArray)
        {
            var presence = (JsonObject)node!;
            _presences[Json.Str((JsonObject)presence["user"]!, "id")!] = presence;
        }

        foreach (var node in VoiceStateArray)
        {
            var state = (JsonObject)node!;
            _voiceStates[Json.Str(state, "user_id")!] = state;
        }
    }
}
