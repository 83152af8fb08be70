using System.Text.Json.Nodes;

namespace GatewayProxy.Simulator.Data;

/// <summary>
/// One generated guild: its full GUILD_CREATE object (every member and presence) plus indexes and recent messages, in one
/// of three forms. Pristine: only its <see cref="GuildRecipe"/>, generated again whenever it is read (a world of 250,000
/// guilds holds no guild's JSON). Hot: a JsonNode tree, once something may change it (thawed). Frozen: a changed guild
/// serialized back to bytes (<see cref="Freeze"/>), so that a bounded number of trees is kept (a tree costs ~15× its bytes).
/// </summary>
internal sealed class GuildData
{
    private GuildRecipe? _recipe;
    private byte[]? _frozen;
    private int _coldMemberCount;
    private int _coldByteCount = -1;
    private JsonObject? _guild;
    private Dictionary<string, JsonObject>? _members;
    private Dictionary<string, JsonObject>? _presences;
    private Dictionary<string, JsonObject>? _voiceStates;
    private List<JsonObject>? _recentMessages;

    /// <summary>Wraps a guild object and indexes its lists (hot from the start).</summary>
    public GuildData(ulong id, JsonObject guild)
    {
        Id = id;
        IdString = Json.Str(guild, "id")!;
        Thaw(guild);
    }

    /// <summary>A pristine guild: generated from <paramref name="recipe"/> when read.</summary>
    public GuildData(GuildRecipe recipe)
    {
        Id = recipe.Id;
        IdString = Json.Id(recipe.Id).GetValue<string>();
        Size = recipe.Shape.Size;
        _recipe = recipe;
        _coldMemberCount = recipe.MemberCount;
    }

    /// <summary>The guild id.</summary>
    public ulong Id { get; }

    /// <summary>The guild id as Discord writes it.</summary>
    public string IdString { get; }

    /// <summary>Which part of the size mix the guild was drawn from.</summary>
    public GuildSize Size { get; }

    /// <summary>True while no tree is held (pristine or frozen).</summary>
    public bool IsCold => _guild is null;

    /// <summary>True while the guild is exactly as generated and held only as its recipe.</summary>
    public bool IsPristine => _recipe is not null;

    /// <summary>Called when the guild thaws (the shard's count of trees); set once by the shard that owns it.</summary>
    public HotGuilds? Owner { get; set; }

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
        get => _guild is null ? _coldMemberCount : (int)Guild["member_count"]!;
        set => Guild["member_count"] = value;
    }

    /// <summary>The UTF-8 length of the full guild object (a pristine guild is generated once to learn it).</summary>
    public int JsonByteCount
    {
        get
        {
            if (_guild is not null)
            {
                return Json.ToBytes(_guild).Length;
            }

            if (_coldByteCount < 0)
            {
                _coldByteCount = ColdBytes()!.Length;
            }

            return _coldByteCount;
        }
    }

    /// <summary>The serialized full guild while cold (what <see cref="Json.ToBytes"/> gives for <see cref="Guild"/>), else null; a pristine guild is generated for the call.</summary>
    public byte[]? ColdBytes()
    {
        if (_frozen is not null)
        {
            return _frozen;
        }

        if (_recipe is null)
        {
            return null;
        }

        var bytes = Json.ToBytes(_recipe.Make());
        _coldByteCount = bytes.Length;
        return bytes;
    }

    /// <summary>A new tree of the guild as it is now, for reading; a cold guild stays cold.</summary>
    public JsonObject ColdTree() => _recipe is { } recipe ? recipe.Make() : _frozen is { } frozen ? (JsonObject)JsonNode.Parse(frozen)! : Json.Clone(Guild);

    /// <summary>
    /// A new tree of a cold guild in which at least the bot and the first <see cref="GuildGenerator.VoiceMembers"/> members
    /// are listed (every member unless a pristine guild of a mixed world can skip the rest); null for a hot guild.
    /// </summary>
    public JsonObject? ColdTreeWithVoiceMembers() =>
        _recipe is { } recipe ? recipe.Make(GuildGenerator.VoiceMembers) : _frozen is { } frozen ? (JsonObject)JsonNode.Parse(frozen)! : null;

    /// <summary>A deep copy of the full guild (a cold guild stays cold).</summary>
    public JsonObject Copy() => ColdTree();

    /// <summary>Serializes a hot guild back to bytes and drops its tree and indexes (its recent messages stay).</summary>
    public void Freeze()
    {
        if (_guild is null)
        {
            return;
        }

        _frozen = Json.ToBytes(_guild);
        _coldByteCount = _frozen.Length;
        _coldMemberCount = (int)_guild["member_count"]!;
        _guild = null;
        _members = null;
        _presences = null;
        _voiceStates = null;
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

    private Dictionary<string, JsonObject> Hot(ref Dictionary<string, JsonObject>? index)
    {
        _ = Guild;
        return index!;
    }

    private JsonObject ThawCold()
    {
        var guild = ColdTree();
        Thaw(guild);
        Owner?.Thawed(this);
        return guild;
    }

    private void Thaw(JsonObject guild)
    {
        _guild = guild;
        _recipe = null;
        _frozen = null;
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
