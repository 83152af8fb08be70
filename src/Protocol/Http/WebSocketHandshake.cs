using System.Buffers;
using System.Security.Cryptography;
using System.Text;

namespace GatewayProxy.Protocol.Http;

/// <summary>The RFC 6455 opening handshake, server role (validate an upgrade, answer it) and HTTP responses on the same port.</summary>
public static partial class WebSocketHandshake
{
    /// <summary>The GUID appended to the key before hashing (RFC 6455 §1.3).</summary>
    public const string AcceptGuid = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

    /// <summary>The only WebSocket version spoken.</summary>
    public const string SupportedVersion = "13";

    /// <summary>Sec-WebSocket-Accept for a key: base64(SHA-1(key + GUID)).</summary>
    public static string ComputeAccept(string secWebSocketKey)
    {
        ArgumentNullException.ThrowIfNull(secWebSocketKey);
        byte[] input = Encoding.ASCII.GetBytes(secWebSocketKey + AcceptGuid);
        Span<byte> hash = stackalloc byte[SHA1.HashSizeInBytes];
#pragma warning disable CA5350 // SHA-1 is what RFC 6455 mandates here; it is a handshake checksum, not security.
        SHA1.HashData(input, hash);
#pragma warning restore CA5350
        return Convert.ToBase64String(hash);
    }

    /// <summary>
    /// Checks an upgrade request for the server role: GET, HTTP/1.1, Host, Upgrade: websocket, Connection holding "upgrade",
    /// Sec-WebSocket-Version 13 and a key that is base64 of 16 bytes. False with 400 or 426 (not an upgrade / wrong version) and a reason.
    /// </summary>
    public static bool TryValidateUpgrade(HttpRequest request, out int errorStatus, out string? errorReason)
    {
        ArgumentNullException.ThrowIfNull(request);
        errorStatus = 400;
        if (request.Method != "GET")
        {
            errorReason = "a WebSocket upgrade must use GET";
            return false;
        }

        if (request.Version != "HTTP/1.1")
        {
            errorReason = "a WebSocket upgrade requires HTTP/1.1";
            return false;
        }

        if (string.IsNullOrEmpty(request.GetHeader("Host")))
        {
            errorReason = "missing Host header";
            return false;
        }

        if (!request.HeaderHasToken("Upgrade", "websocket"))
        {
            errorStatus = 426;
            errorReason = "this endpoint needs a WebSocket upgrade (Upgrade: websocket)";
            return false;
        }

        if (!request.HeaderHasToken("Connection", "upgrade"))
        {
            errorReason = "Connection header must contain 'Upgrade'";
            return false;
        }

        if (request.GetHeader("Sec-WebSocket-Version") != SupportedVersion)
        {
            errorStatus = 426;
            errorReason = "unsupported Sec-WebSocket-Version (13 required)";
            return false;
        }

        string? key = request.WebSocketKey;
        if (key is null)
        {
            errorReason = "missing Sec-WebSocket-Key header";
            return false;
        }

        if (!IsValidKey(key))
        {
            errorReason = "Sec-WebSocket-Key must be base64 of 16 bytes";
            return false;
        }

        errorStatus = 0;
        errorReason = null;
        return true;
    }

    /// <summary>True when a key is the base64 encoding of exactly 16 bytes.</summary>
    public static bool IsValidKey(string key)
    {
        Span<byte> decoded = stackalloc byte[18];
        return key.Length == 24 && Convert.TryFromBase64String(key, decoded, out int written) && written == 16;
    }

    /// <summary>Writes the 101 answer to a validated upgrade; never offers an extension (permessage-deflate is declined) or a subprotocol.</summary>
    public static void WriteSwitchingProtocols(IBufferWriter<byte> output, string secWebSocketKey)
    {
        WriteAscii(output, "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: "
            + ComputeAccept(secWebSocketKey) + "\r\n\r\n");
    }

    /// <summary>Writes a complete HTTP/1.1 response with Content-Type and Content-Length; <paramref name="close"/> adds Connection: close.</summary>
    public static void WriteResponse(IBufferWriter<byte> output, int status, string reasonPhrase, string contentType, ReadOnlySpan<byte> body, bool close = true)
    {
        WriteResponseHead(output, status, reasonPhrase, contentType, body.Length, close, extraHeaders: null);
        output.Write(body);
    }

    /// <summary>Writes a 426 Upgrade Required carrying Sec-WebSocket-Version: 13 (RFC 6455 §4.4) and a plain-text reason.</summary>
    public static void WriteUpgradeRequired(IBufferWriter<byte> output, string reason)
    {
        byte[] body = Encoding.UTF8.GetBytes(reason ?? string.Empty);
        WriteResponseHead(output, 426, "Upgrade Required", "text/plain; charset=utf-8", body.Length, close: true, "Sec-WebSocket-Version: " + SupportedVersion + "\r\n");
        output.Write(body);
    }

    private static void WriteResponseHead(IBufferWriter<byte> output, int status, string reasonPhrase, string contentType, int contentLength, bool close, string? extraHeaders)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(status, 100);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(status, 999);
        RequireHeaderText(reasonPhrase, nameof(reasonPhrase));
        RequireHeaderText(contentType, nameof(contentType));
        var head = new StringBuilder(160)
            .Append("HTTP/1.1 ").Append(status).Append(' ').Append(reasonPhrase).Append("\r\n")
            .Append("Content-Type: ").Append(contentType).Append("\r\n")
            .Append("Content-Length: ").Append(contentLength).Append("\r\n");
        if (extraHeaders is not null)
        {
            head.Append(extraHeaders);
        }

        if (close)
        {
            head.Append("Connection: close\r\n");
        }

        head.Append("\r\n");
        WriteAscii(output, head.ToString());
    }

    // Header injection guard: these strings come from code, but a CR/LF in one would split the response.
    private static void RequireHeaderText(string value, string name)
    {
        ArgumentNullException.ThrowIfNull(value, name);
        foreach (char c in value)
        {
            if (c < 0x20 || c > 0x7E)
            {
                throw new ArgumentException("Header text must be printable ASCII.", name);
            }
        }
    }

    private static void WriteAscii(IBufferWriter<byte> output, string text)
    {
        Span<byte> span = output.GetSpan(text.Length);
        int written = Encoding.ASCII.GetBytes(text, span);
        output.Advance(written);
    }
}
