namespace GatewayProxy.Egress.Metrics;

/// <summary>Why a client connection ended (the <c>reason</c> label of gateway_client_disconnects_total).</summary>
internal enum DisconnectReason
{
    /// <summary>The client sent a close frame.</summary>
    ClientClose,
    /// <summary>The TCP connection ended without a close frame.</summary>
    Dropped,
    /// <summary>Output backed up and the client fell more than Backpressure events behind (4000).</summary>
    Backpressure,
    /// <summary>The ring overwrote events the client had not been sent yet (4000).</summary>
    Overrun,
    /// <summary>No heartbeat in time (4009).</summary>
    HeartbeatTimeout,
    /// <summary>More than 120 payloads in 60 s (4008).</summary>
    RateLimited,
    /// <summary>Invalid JSON, a bad envelope or a payload over the size limit (4002).</summary>
    DecodeError,
    /// <summary>An opcode clients may not send (4001).</summary>
    UnknownOpcode,
    /// <summary>A command before IDENTIFY (4003).</summary>
    NotAuthenticated,
    /// <summary>Wrong token (4004).</summary>
    AuthenticationFailed,
    /// <summary>A second IDENTIFY (4005).</summary>
    AlreadyAuthenticated,
    /// <summary>Shard out of this process's range or wrong count (4010).</summary>
    InvalidShard,
    /// <summary>A WebSocket protocol violation (1002/1007/1009).</summary>
    ProtocolError,
    /// <summary>The session was resumed on another connection.</summary>
    Replaced,
    /// <summary>The proxy is shutting down (1012).</summary>
    Shutdown,
    /// <summary>No valid IDENTIFY or RESUME within the unauthenticated timeout (4003).</summary>
    AuthenticationTimeout,
}

/// <summary>Label values for <see cref="DisconnectReason"/>.</summary>
internal static class DisconnectReasons
{
    private static readonly string[] Labels =
    [
        "client_close", "dropped", "backpressure", "overrun", "heartbeat_timeout", "rate_limited", "decode_error",
        "unknown_opcode", "not_authenticated", "authentication_failed", "already_authenticated", "invalid_shard",
        "protocol_error", "replaced", "shutdown", "authentication_timeout",
    ];

    /// <summary>Number of reasons.</summary>
    public static int Count => Labels.Length;

    /// <summary>The metric label of a reason.</summary>
    public static string ToLabel(DisconnectReason reason) => Labels[(int)reason];
}
