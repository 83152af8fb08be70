using GatewayProxy.Protocol.Gateway;

namespace GatewayProxy.Egress.Clients;

/// <summary>A reshard's switch: the client is asked to reconnect (op 7), as Discord asks it (docs/architecture.md, "Resharding").</summary>
internal sealed partial class ClientConnection
{
    private static readonly byte[] Reconnect = BuildReconnect();
    private int _reconnectRequested;

    /// <summary>Sends op 7 once; the client's RESUME that follows gets op 9 <c>d:false</c> and its IDENTIFY the new shard set.</summary>
    public bool RequestReconnect() => Interlocked.Exchange(ref _reconnectRequested, 1) == 0 && Output.TrySend(Reconnect);

    private static byte[] BuildReconnect()
    {
        var writer = new System.Buffers.ArrayBufferWriter<byte>(32);
        GatewayPayloads.WriteReconnect(writer);
        return writer.WrittenSpan.ToArray();
    }
}
