namespace GatewayProxy.Protocol.WebSockets;

/// <summary>Which end of the connection a reader or writer is on (decides the masking rules).</summary>
public enum WebSocketRole
{
    /// <summary>Reads frames from a client: every frame must be masked (unmasked → 1002).</summary>
    Server,
    /// <summary>Reads frames from a server: no frame may be masked (masked → 1002).</summary>
    Client,
}
