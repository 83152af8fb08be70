using GatewayProxy.Protocol.Gateway;

namespace GatewayProxy.Simulator.Gateway;

/// <summary>Which intent gates each dispatch type the Simulator sends (the bits themselves are <see cref="GatewayIntents"/>).</summary>
public static class IntentGates
{
    /// <summary>The intent a dispatch type needs, or 0 when it is always sent.</summary>
    public static long Required(string type) => type switch
    {
        "GUILD_MEMBER_ADD" or "GUILD_MEMBER_UPDATE" or "GUILD_MEMBER_REMOVE" => GatewayIntents.GuildMembers,
        "VOICE_STATE_UPDATE" => GatewayIntents.GuildVoiceStates,
        "PRESENCE_UPDATE" => GatewayIntents.GuildPresences,
        "MESSAGE_CREATE" or "MESSAGE_UPDATE" or "MESSAGE_DELETE" => GatewayIntents.GuildMessages,
        "TYPING_START" => GatewayIntents.GuildMessageTyping,
        "GUILD_UPDATE" or "GUILD_ROLE_CREATE" or "GUILD_ROLE_UPDATE" or "GUILD_ROLE_DELETE"
            or "CHANNEL_CREATE" or "CHANNEL_UPDATE" or "CHANNEL_DELETE" => GatewayIntents.Guilds,
        _ => 0,
    };
}
