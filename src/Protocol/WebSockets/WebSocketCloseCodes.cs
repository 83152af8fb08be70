namespace GatewayProxy.Protocol.WebSockets;

/// <summary>RFC 6455 close codes used by the protocol layer, and which codes a peer may send.</summary>
public static class WebSocketCloseCodes
{
    /// <summary>1000: normal closure.</summary>
    public const ushort NormalClosure = 1000;
    /// <summary>1001: endpoint going away.</summary>
    public const ushort GoingAway = 1001;
    /// <summary>1002: protocol error.</summary>
    public const ushort ProtocolError = 1002;
    /// <summary>1003: unsupported data type.</summary>
    public const ushort UnsupportedData = 1003;
    /// <summary>1005: no code present (reported locally, never sent).</summary>
    public const ushort NoStatusReceived = 1005;
    /// <summary>1006: closed without a close frame (reported locally, never sent).</summary>
    public const ushort AbnormalClosure = 1006;
    /// <summary>1007: payload data inconsistent with its type (bad UTF-8).</summary>
    public const ushort InvalidPayloadData = 1007;
    /// <summary>1008: policy violation.</summary>
    public const ushort PolicyViolation = 1008;
    /// <summary>1009: message too big.</summary>
    public const ushort MessageTooBig = 1009;
    /// <summary>1011: unexpected server condition.</summary>
    public const ushort InternalError = 1011;

    /// <summary>
    /// True for a code a peer may put in a close frame: 1000–1003, 1007–1014 (RFC 6455 plus IANA's 1012–1014)
    /// and 3000–4999 (registered and private use). 1004–1006, 1015 and the rest are never sent on the wire.
    /// </summary>
    public static bool IsValidOnWire(ushort code) =>
        code is (>= 1000 and <= 1003) or (>= 1007 and <= 1014) or (>= 3000 and <= 4999);
}
