namespace GatewayProxy.Protocol.Gateway;

/// <summary>Discord gateway close codes (4000–4014) and the WebSocket codes we send (RFC 6455 §7.4).</summary>
public enum GatewayCloseCode : ushort
{
    /// <summary>No close frame: the connection is already gone.</summary>
    None = 0,
    /// <summary>RFC 6455: normal closure (ends a Discord session).</summary>
    NormalClosure = 1000,
    /// <summary>RFC 6455: going away (ends a Discord session).</summary>
    GoingAway = 1001,
    /// <summary>RFC 6455: protocol error.</summary>
    ProtocolError = 1002,
    /// <summary>RFC 6455: data of a type the endpoint cannot accept.</summary>
    UnsupportedData = 1003,
    /// <summary>RFC 6455: text message that is not valid UTF-8.</summary>
    InvalidPayloadData = 1007,
    /// <summary>RFC 6455: policy violation.</summary>
    PolicyViolation = 1008,
    /// <summary>RFC 6455: message too big.</summary>
    MessageTooBig = 1009,
    /// <summary>RFC 6455: unexpected server condition.</summary>
    InternalError = 1011,
    /// <summary>IANA: service restart (the proxy is shutting down; libraries reconnect).</summary>
    ServiceRestart = 1012,
    /// <summary>Unknown error; the client should reconnect.</summary>
    UnknownError = 4000,
    /// <summary>An invalid opcode or an invalid payload for an opcode.</summary>
    UnknownOpcode = 4001,
    /// <summary>An invalid payload (bad JSON, or over 4096 bytes).</summary>
    DecodeError = 4002,
    /// <summary>A payload sent before IDENTIFY.</summary>
    NotAuthenticated = 4003,
    /// <summary>The token in IDENTIFY is wrong.</summary>
    AuthenticationFailed = 4004,
    /// <summary>A second IDENTIFY.</summary>
    AlreadyAuthenticated = 4005,
    /// <summary>The sequence sent when resuming is invalid.</summary>
    InvalidSeq = 4007,
    /// <summary>Payloads sent too quickly.</summary>
    RateLimited = 4008,
    /// <summary>The session timed out.</summary>
    SessionTimedOut = 4009,
    /// <summary>An invalid shard in IDENTIFY.</summary>
    InvalidShard = 4010,
    /// <summary>The session would handle too many guilds; sharding required.</summary>
    ShardingRequired = 4011,
    /// <summary>An invalid API version.</summary>
    InvalidApiVersion = 4012,
    /// <summary>Invalid intents.</summary>
    InvalidIntents = 4013,
    /// <summary>Intents that are not enabled for the application.</summary>
    DisallowedIntents = 4014,
}

/// <summary>Facts about close codes: reason texts and whether a Discord session survives them.</summary>
public static class GatewayCloseCodes
{
    /// <summary>The default reason text for a close code.</summary>
    public static string DefaultReason(GatewayCloseCode code) => code switch
    {
        GatewayCloseCode.NormalClosure => "normal closure",
        GatewayCloseCode.GoingAway => "going away",
        GatewayCloseCode.ProtocolError => "protocol error",
        GatewayCloseCode.UnsupportedData => "unsupported data",
        GatewayCloseCode.InvalidPayloadData => "invalid UTF-8 in a text message",
        GatewayCloseCode.PolicyViolation => "policy violation",
        GatewayCloseCode.MessageTooBig => "message too big",
        GatewayCloseCode.InternalError => "internal error",
        GatewayCloseCode.UnknownError => "Unknown error.",
        GatewayCloseCode.UnknownOpcode => "Unknown opcode.",
        GatewayCloseCode.DecodeError => "Error while decoding payload.",
        GatewayCloseCode.NotAuthenticated => "Not authenticated.",
        GatewayCloseCode.AuthenticationFailed => "Authentication failed.",
        GatewayCloseCode.AlreadyAuthenticated => "Already authenticated.",
        GatewayCloseCode.InvalidSeq => "Invalid seq.",
        GatewayCloseCode.RateLimited => "Rate limited.",
        GatewayCloseCode.SessionTimedOut => "Session timed out.",
        GatewayCloseCode.InvalidShard => "Invalid shard.",
        GatewayCloseCode.ShardingRequired => "Sharding required.",
        GatewayCloseCode.InvalidApiVersion => "Invalid API version.",
        GatewayCloseCode.InvalidIntents => "Invalid intent(s).",
        GatewayCloseCode.DisallowedIntents => "Disallowed intent(s).",
        _ => "closed",
    };

    /// <summary>True when the upstream session cannot be resumed or re-identified without a config fix.</summary>
    public static bool IsFatal(int code) => code is 4004 or (>= 4010 and <= 4014);

    /// <summary>True when Discord keeps the session resumable after a close with this code.</summary>
    public static bool KeepsSessionResumable(int code) => code is not (1000 or 1001) && code is not (4007 or 4009) && !IsFatal(code);
}
