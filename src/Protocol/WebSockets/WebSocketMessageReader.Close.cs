using System.Buffers.Binary;
using System.Text;
using System.Text.Unicode;

namespace GatewayProxy.Protocol.WebSockets;

/// <summary>Close frame payload rules (RFC 6455 §5.5.1, §7.4).</summary>
public sealed partial class WebSocketMessageReader
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>
    /// Reads a close payload: empty → code 1005 and no reason; otherwise a code that may be sent on the wire and a
    /// valid UTF-8 reason. False for a 1-byte payload, a forbidden code or an invalid reason.
    /// </summary>
    public static bool TryParseClosePayload(ReadOnlySpan<byte> payload, out ushort code, out string reason)
    {
        reason = string.Empty;
        code = WebSocketCloseCodes.NoStatusReceived;
        if (ValidateClosePayload(payload) != WebSocketError.None)
        {
            code = payload.Length >= 2 ? BinaryPrimitives.ReadUInt16BigEndian(payload) : (ushort)0;
            return false;
        }

        if (payload.IsEmpty)
        {
            return true;
        }

        code = BinaryPrimitives.ReadUInt16BigEndian(payload);
        reason = payload.Length > 2 ? StrictUtf8.GetString(payload[2..]) : string.Empty;
        return true;
    }

    /// <summary>Which error (if any) a close payload carries: 1-byte or bad code → InvalidClosePayload, bad reason → InvalidUtf8.</summary>
    internal static WebSocketError ValidateClosePayload(ReadOnlySpan<byte> payload)
    {
        if (payload.IsEmpty)
        {
            return WebSocketError.None;
        }

        if (payload.Length == 1 || !WebSocketCloseCodes.IsValidOnWire(BinaryPrimitives.ReadUInt16BigEndian(payload)))
        {
            return WebSocketError.InvalidClosePayload;
        }

        return Utf8.IsValid(payload[2..]) ? WebSocketError.None : WebSocketError.InvalidUtf8;
    }
}
