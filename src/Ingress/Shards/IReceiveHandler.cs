using GatewayProxy.Protocol.Gateway;
using GatewayProxy.Protocol.WebSockets;

namespace GatewayProxy.Ingress.Shards;

/// <summary>What the receive path hands back to its shard: everything but publishing dispatches (all cold paths).</summary>
internal interface IReceiveHandler
{
    /// <summary>True when the connection is ending and the receive should stop after the current message.</summary>
    bool ShouldStop { get; }

    /// <summary>A close, ping or pong frame; true when it ends the connection.</summary>
    bool OnControlFrame(WebSocketOpcode opcode, ReadOnlySpan<byte> payload);

    /// <summary>A framing or decompression error: the connection must end with <paramref name="closeCode"/>.</summary>
    void OnProtocolError(string detail, ushort closeCode);

    /// <summary>A non-dispatch payload (HELLO, ACK, op 1/7/9).</summary>
    void OnGatewayMessage(ReadOnlySpan<byte> payload, in Envelope envelope);

    /// <summary>READY or RESUMED, just before it is published.</summary>
    void OnSessionDispatch(ReadOnlySpan<byte> payload, in Envelope envelope);

    /// <summary>A payload that is not a gateway envelope (dropped).</summary>
    void OnBadPayload(EnvelopeError error, int length);
}
