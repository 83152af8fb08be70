using GatewayProxy.Protocol.Gateway;

namespace GatewayProxy.Egress.Metrics;

/// <summary>Why a client connection ended (the <c>reason</c> label of gateway_client_disconnects_total).</summary>
internal enum ClientDisconnectReason
{
    /// <summary>The client sent a close frame.</summary>
    ClientClose,
    /// <summary>The TCP connection ended without a close frame.</summary>
    Dropped,
    /// <summary>Output backed up and the client fell more than Backpressure events behind (<see cref="GatewayCloseCode.UnknownError"/>).</summary>
    Backpressure,
    /// <summary>The ring overwrote events the client had not been sent yet (<see cref="GatewayCloseCode.UnknownError"/>).</summary>
    Overrun,
    /// <summary>No heartbeat in time (<see cref="GatewayCloseCode.SessionTimedOut"/>).</summary>
    HeartbeatTimeout,
    /// <summary>More than 120 payloads in 60 s (<see cref="GatewayCloseCode.RateLimited"/>).</summary>
    RateLimited,
    /// <summary>Invalid JSON, a bad envelope or a payload over the size limit (<see cref="GatewayCloseCode.DecodeError"/>).</summary>
    DecodeError,
    /// <summary>An opcode clients may not send (<see cref="GatewayCloseCode.UnknownOpcode"/>).</summary>
    UnknownOpcode,
    /// <summary>A command before IDENTIFY (<see cref="GatewayCloseCode.NotAuthenticated"/>).</summary>
    NotAuthenticated,
    /// <summary>Wrong token (<see cref="GatewayCloseCode.AuthenticationFailed"/>).</summary>
    AuthenticationFailed,
    /// <summary>A second IDENTIFY (<see cref="GatewayCloseCode.AlreadyAuthenticated"/>).</summary>
    AlreadyAuthenticated,
    /// <summary>Shard out of this process's range or wrong count (<see cref="GatewayCloseCode.InvalidShard"/>).</summary>
    InvalidShard,
    /// <summary>A WebSocket protocol violation (1002/1007/1009).</summary>
    ProtocolError,
    /// <summary>The session was resumed on another connection.</summary>
    Replaced,
    /// <summary>The proxy is shutting down (1012).</summary>
    Shutdown,
    /// <summary>No valid IDENTIFY or RESUME within the unauthenticated timeout (<see cref="GatewayCloseCode.NotAuthenticated"/>).</summary>
    AuthenticationTimeout,
    /// <summary>IDENTIFY with intents that are not a non-negative integer (<see cref="GatewayCloseCode.InvalidIntents"/>).</summary>
    InvalidIntents,
    /// <summary>The proxy failed to build the session's READY and GUILD_CREATEs (<see cref="GatewayCloseCode.UnknownError"/>).</summary>
    SessionStartFailed,
    /// <summary>The proxy failed to relay an event to the client (<see cref="GatewayCloseCode.UnknownError"/>).</summary>
    RelayFailed,
    /// <summary>The GC heap was near the memory limit and this client's backlog was among the largest, or an allocation for
    /// it failed (<see cref="GatewayCloseCode.UnknownError"/>, "the proxy is low on memory").</summary>
    LowMemory,
    /// <summary>The proxy resharded and the client stayed on the replaced shard set after op 7 (1012).</summary>
    Resharded,
}

/// <summary>Label values for <see cref="ClientDisconnectReason"/>.</summary>
internal static class ClientDisconnectReasons
{
    private static readonly string[] Labels =
    [
        "client_close", "dropped", "backpressure", "overrun", "heartbeat_timeout", "rate_limited", "decode_error",
        "unknown_opcode", "not_authenticated", "authentication_failed", "already_authenticated", "invalid_shard",
        "protocol_error", "replaced", "shutdown", "authentication_timeout", "invalid_intents", "session_start_failed",
        "relay_failed", "low_memory", "resharded",
    ];

    /// <summary>Number of reasons.</summary>
    public static int Count => Labels.Length;

    /// <summary>The metric label of a reason.</summary>
    public static string ToLabel(ClientDisconnectReason reason) => Labels[(int)reason];

    /// <summary>The reason counted for an IDENTIFY refused with <paramref name="code"/>.</summary>
    public static ClientDisconnectReason ForIdentifyRefusal(GatewayCloseCode code) => code switch
    {
        GatewayCloseCode.AuthenticationFailed => ClientDisconnectReason.AuthenticationFailed,
        GatewayCloseCode.InvalidShard => ClientDisconnectReason.InvalidShard,
        GatewayCloseCode.InvalidIntents => ClientDisconnectReason.InvalidIntents,
        _ => ClientDisconnectReason.DecodeError,
    };
}
