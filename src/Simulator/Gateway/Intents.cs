namespace GatewayProxy.Simulator.Gateway;

/// <summary>Gateway intent bits (API v10) and which dispatches each one gates.</summary>
public static class Intents
{
    /// <summary>GUILDS: guild, channel, role, thread and stage events.</summary>
    public const long Guilds = 1 << 0;
    /// <summary>GUILD_MEMBERS (privileged): member add/update/remove.</summary>
    public const long GuildMembers = 1 << 1;
    /// <summary>GUILD_VOICE_STATES: VOICE_STATE_UPDATE.</summary>
    public const long GuildVoiceStates = 1 << 7;
    /// <summary>GUILD_PRESENCES (privileged): PRESENCE_UPDATE and full member lists.</summary>
    public const long GuildPresences = 1 << 8;
    /// <summary>GUILD_MESSAGES: MESSAGE_CREATE/UPDATE/DELETE in guilds.</summary>
    public const long GuildMessages = 1 << 9;
    /// <summary>GUILD_MESSAGE_TYPING: TYPING_START in guilds.</summary>
    public const long GuildMessageTyping = 1 << 11;
    /// <summary>MESSAGE_CONTENT (privileged): message content is filled in.</summary>
    public const long MessageContent = 1 << 15;

    /// <summary>Every intent bit Discord defines (0–16, 20, 21, 24, 25); any other bit is invalid (4013).</summary>
    public const long All = 0x1FFFF | (1 << 20) | (1 << 21) | (1 << 24) | (1 << 25);

    /// <summary>The intent a dispatch type needs, or 0 when it is always sent.</summary>
    public static long Required(string type) => type switch
    {
        "GUILD_MEMBER_ADD" or "GUILD_MEMBER_UPDATE" or "GUILD_MEMBER_REMOVE" => GuildMembers,
        "VOICE_STATE_UPDATE" => GuildVoiceStates,
        "PRESENCE_UPDATE" => GuildPresences,
        "MESSAGE_CREATE" or "MESSAGE_UPDATE" or "MESSAGE_DELETE" => GuildMessages,
        "TYPING_START" => GuildMessageTyping,
        "GUILD_UPDATE" or "GUILD_ROLE_CREATE" or "GUILD_ROLE_UPDATE" or "GUILD_ROLE_DELETE"
            or "CHANNEL_CREATE" or "CHANNEL_UPDATE" or "CHANNEL_DELETE" => Guilds,
        _ => 0,
    };
}
