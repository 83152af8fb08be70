namespace GatewayProxy.Protocol.WebSockets;

/// <summary>RFC 6455 frame opcodes (the low nibble of a frame's first byte).</summary>
public enum WebSocketOpcode : byte
{
    /// <summary>Continues a fragmented Text or Binary message.</summary>
    Continuation = 0,
    /// <summary>First frame of a UTF-8 text message.</summary>
    Text = 1,
    /// <summary>First frame of a binary message.</summary>
    Binary = 2,
    /// <summary>Close control frame (optional 2-byte code and UTF-8 reason).</summary>
    Close = 8,
    /// <summary>Ping control frame; answered with a Pong carrying the same payload.</summary>
    Ping = 9,
    /// <summary>Pong control frame.</summary>
    Pong = 10,
}
