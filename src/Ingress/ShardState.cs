namespace GatewayProxy.Ingress;

/// <summary>Where a shard's upstream connection is; the value is what <c>gateway_shard_status</c> reports.</summary>
public enum ShardState
{
    /// <summary>Stopped for good (shutdown, or a fatal close code).</summary>
    Stopped = 0,
    /// <summary>Not connected, waiting to reconnect.</summary>
    Disconnected = 1,
    /// <summary>Opening the TCP/TLS connection and the WebSocket.</summary>
    Connecting = 2,
    /// <summary>Connected; waiting for the identify queue or for READY.</summary>
    Identifying = 3,
    /// <summary>Connected; RESUME sent, waiting for the replay and RESUMED.</summary>
    Resuming = 4,
    /// <summary>Session live (READY or RESUMED received).</summary>
    Connected = 5,
}
