namespace GatewayProxy.Protocol.Gateway;

/// <summary>Discord gateway opcodes (API v10).</summary>
public enum GatewayOpcode
{
    /// <summary>An event dispatched by the server; <c>t</c> and <c>s</c> are set.</summary>
    Dispatch = 0,
    /// <summary>Heartbeat, both ways (from the server: "beat now").</summary>
    Heartbeat = 1,
    /// <summary>Start a new session.</summary>
    Identify = 2,
    /// <summary>Update the bot's presence.</summary>
    PresenceUpdate = 3,
    /// <summary>Join, move or leave a voice channel.</summary>
    VoiceStateUpdate = 4,
    /// <summary>Resume a previous session.</summary>
    Resume = 6,
    /// <summary>The server asks the client to reconnect and resume.</summary>
    Reconnect = 7,
    /// <summary>Request guild members; answered with GUILD_MEMBERS_CHUNK dispatches.</summary>
    RequestGuildMembers = 8,
    /// <summary>The session is invalid; <c>d</c> tells whether it is resumable.</summary>
    InvalidSession = 9,
    /// <summary>First message of a connection, with the heartbeat interval.</summary>
    Hello = 10,
    /// <summary>Acknowledges a heartbeat.</summary>
    HeartbeatAck = 11,
    /// <summary>Request soundboard sounds; answered with SOUNDBOARD_SOUNDS dispatches.</summary>
    RequestSoundboardSounds = 31,
}
