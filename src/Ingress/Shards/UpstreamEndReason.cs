namespace GatewayProxy.Ingress.Shards;

/// <summary>Why an upstream connection ended; decides between RESUME, re-IDENTIFY and stopping.</summary>
internal enum UpstreamEndReason
{
    /// <summary>Not ended.</summary>
    None,
    /// <summary>op 7 RECONNECT.</summary>
    ReconnectRequested,
    /// <summary>op 9 with d true.</summary>
    InvalidSessionResumable,
    /// <summary>op 9 with d false.</summary>
    InvalidSession,
    /// <summary>The server sent a close frame.</summary>
    ServerClosed,
    /// <summary>TCP ended or failed without a close frame.</summary>
    Dropped,
    /// <summary>A heartbeat went unanswered until the next one (or HELLO never came).</summary>
    Zombie,
    /// <summary>The server broke the WebSocket protocol, or sent undecodable data.</summary>
    ProtocolError,
    /// <summary>The proxy is shutting the shard down.</summary>
    Stopping,
}
