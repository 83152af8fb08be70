using Pipelines.Sockets.Unofficial;

namespace GatewayProxy.Egress.Server;

/// <summary><see cref="ISendProgress"/> of a plain socket connection (its send loop counts what the socket took).</summary>
internal sealed class SocketSendProgress(SocketConnection connection) : ISendProgress
{
    /// <inheritdoc />
    public long BytesSent => connection.BytesSent;
}
