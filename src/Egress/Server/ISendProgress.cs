namespace GatewayProxy.Egress.Server;

/// <summary>How many bytes a client transport has handed to its socket: what was written to the client's output but is
/// not counted here yet is its backlog (the memory guard cuts the largest first).</summary>
internal interface ISendProgress
{
    /// <summary>Bytes sent to the socket since the connection was accepted.</summary>
    long BytesSent { get; }
}
