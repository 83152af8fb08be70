namespace GatewayProxy.Protocol.WebSockets;

/// <summary>Outcome of one <see cref="WebSocketMessageReader.TryRead"/> call.</summary>
public enum WebSocketReadStatus
{
    /// <summary>Every complete frame was consumed; more bytes are needed to go on.</summary>
    NeedMoreData,
    /// <summary>A whole data message is in the sink (see MessageOpcode and MessageLength).</summary>
    Message,
    /// <summary>A control frame was read (see ControlOpcode and ControlPayload).</summary>
    Control,
    /// <summary>The peer broke the protocol; see Error. The reader is dead until Reset.</summary>
    Error,
}
