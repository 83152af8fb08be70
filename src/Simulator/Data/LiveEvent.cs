using System.Text.Json.Nodes;

namespace GatewayProxy.Simulator.Data;

/// <summary>One generated dispatch before it is sequenced for a session: its type and its <c>d</c>.</summary>
internal sealed class LiveEvent
{
    /// <summary>A dispatch whose <c>d</c> is the same for every session.</summary>
    public LiveEvent(string type, JsonObject data)
    {
        Type = type;
        Data = Json.ToBytes(data);
        if (type is "MESSAGE_CREATE" or "MESSAGE_UPDATE")
        {
            // Without MESSAGE_CONTENT Discord blanks content, embeds, attachments and components.
            data["content"] = "";
            data["embeds"] = new JsonArray();
            data["attachments"] = new JsonArray();
            data["components"] = new JsonArray();
            DataWithoutContent = Json.ToBytes(data);
        }
    }

    /// <summary>A GUILD_CREATE, built per session (member lists depend on its intents and large_threshold).</summary>
    public LiveEvent(GuildData guildCreate)
    {
        Type = "GUILD_CREATE";
        Data = [];
        GuildCreate = guildCreate;
    }

    /// <summary>The event name (<c>t</c>).</summary>
    public string Type { get; }

    /// <summary>The serialized <c>d</c> (empty for a per-session GUILD_CREATE).</summary>
    public byte[] Data { get; }

    /// <summary><c>d</c> as a session without MESSAGE_CONTENT sees it, for message events.</summary>
    public byte[]? DataWithoutContent { get; }

    /// <summary>Set for GUILD_CREATE: the guild whose view is built per session.</summary>
    public GuildData? GuildCreate { get; }
}
