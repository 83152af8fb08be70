namespace GatewayProxy.Protocol.WebSockets;

/// <summary>Why a WebSocket peer's bytes were rejected; <see cref="WebSocketErrors"/> maps each to a close code.</summary>
public enum WebSocketError
{
    /// <summary>No error.</summary>
    None,
    /// <summary>RSV1–3 set while no extension was negotiated.</summary>
    ReservedBitsSet,
    /// <summary>Opcode 3–7 or 11–15.</summary>
    ReservedOpcode,
    /// <summary>Server role: a client frame without the mask bit.</summary>
    UnmaskedClientFrame,
    /// <summary>Client role: a server frame with the mask bit.</summary>
    MaskedServerFrame,
    /// <summary>A control frame without FIN.</summary>
    FragmentedControlFrame,
    /// <summary>A control frame with a payload over 125 bytes.</summary>
    ControlFrameTooLong,
    /// <summary>A Continuation frame while no message was in progress.</summary>
    UnexpectedContinuation,
    /// <summary>A new Text/Binary frame while a fragmented message was in progress.</summary>
    ExpectedContinuation,
    /// <summary>The message (all fragments together) is larger than the reader's limit.</summary>
    MessageTooBig,
    /// <summary>A text message or a close reason that is not valid UTF-8.</summary>
    InvalidUtf8,
    /// <summary>A close payload of 1 byte or with a code that may not be sent.</summary>
    InvalidClosePayload,
    /// <summary>An extended length that a shorter encoding could hold (only when RejectNonMinimalLengths is on).</summary>
    NonMinimalLength,
    /// <summary>A 64-bit length with its most significant bit set.</summary>
    LengthTooLarge,
}
