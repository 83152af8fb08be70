namespace GatewayProxy.Protocol.WebSockets;

/// <summary>Maps a <see cref="WebSocketError"/> to the close code and text sent to the peer (the one place that decides).</summary>
public static class WebSocketErrors
{
    /// <summary>Close code for an error: 1007 for bad UTF-8, 1009 for too big, 1002 for every other protocol error.</summary>
    public static ushort ToCloseCode(WebSocketError e) => e switch
    {
        WebSocketError.None => WebSocketCloseCodes.NormalClosure,
        WebSocketError.InvalidUtf8 => WebSocketCloseCodes.InvalidPayloadData,
        WebSocketError.MessageTooBig => WebSocketCloseCodes.MessageTooBig,
        _ => WebSocketCloseCodes.ProtocolError,
    };

    /// <summary>Short human-readable text for an error, fit for a close reason (under 123 bytes).</summary>
    public static string Describe(WebSocketError e) => e switch
    {
        WebSocketError.None => "no error",
        WebSocketError.ReservedBitsSet => "reserved bits set without a negotiated extension",
        WebSocketError.ReservedOpcode => "reserved opcode",
        WebSocketError.UnmaskedClientFrame => "client frames must be masked",
        WebSocketError.MaskedServerFrame => "server frames must not be masked",
        WebSocketError.FragmentedControlFrame => "control frames must not be fragmented",
        WebSocketError.ControlFrameTooLong => "control frame payload over 125 bytes",
        WebSocketError.UnexpectedContinuation => "continuation frame without a message to continue",
        WebSocketError.ExpectedContinuation => "new data frame inside a fragmented message",
        WebSocketError.MessageTooBig => "message too big",
        WebSocketError.InvalidUtf8 => "invalid UTF-8",
        WebSocketError.InvalidClosePayload => "invalid close payload",
        WebSocketError.NonMinimalLength => "payload length not minimally encoded",
        WebSocketError.LengthTooLarge => "payload length has its most significant bit set",
        _ => "unknown error",
    };
}
