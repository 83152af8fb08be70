using System.Buffers;
using System.Security.Cryptography;
using System.Text;

namespace GatewayProxy.Protocol.Http;

/// <summary>The opening handshake, client role (the upstream connection to Discord).</summary>
public static partial class WebSocketHandshake
{
    /// <summary>User-Agent sent upstream.</summary>
    public const string UserAgent = "GatewayProxy";

    /// <summary>Builds the upgrade request (Host, Upgrade, Connection, a fresh random 16-byte key, version 13, User-Agent) and returns it with its key.</summary>
    public static byte[] BuildClientRequest(string host, string pathAndQuery, out string secWebSocketKey)
    {
        RequireHeaderText(host, nameof(host));
        if (string.IsNullOrEmpty(host) || host.Contains(' ', StringComparison.Ordinal))
        {
            throw new ArgumentException("Host must be non-empty and contain no spaces.", nameof(host));
        }

        string target = string.IsNullOrEmpty(pathAndQuery) ? "/" : pathAndQuery;
        RequireHeaderText(target, nameof(pathAndQuery));
        if (target[0] != '/' || target.Contains(' ', StringComparison.Ordinal))
        {
            throw new ArgumentException("Path must start with '/' and contain no spaces.", nameof(pathAndQuery));
        }

        Span<byte> nonce = stackalloc byte[16];
        RandomNumberGenerator.Fill(nonce);
        secWebSocketKey = Convert.ToBase64String(nonce);
        string request = "GET " + target + " HTTP/1.1\r\n"
            + "Host: " + host + "\r\n"
            + "Upgrade: websocket\r\n"
            + "Connection: Upgrade\r\n"
            + "Sec-WebSocket-Key: " + secWebSocketKey + "\r\n"
            + "Sec-WebSocket-Version: " + SupportedVersion + "\r\n"
            + "User-Agent: " + UserAgent + "\r\n"
            + "\r\n";
        return Encoding.ASCII.GetBytes(request);
    }

    /// <summary>
    /// Parses the server's answer to <see cref="BuildClientRequest"/>. Complete only for a 101 with Upgrade/Connection right,
    /// the expected Sec-WebSocket-Accept and no extension or subprotocol; <paramref name="consumed"/> is then just past the head
    /// (frames may follow in the same buffer). Invalid with a reason otherwise (a non-101 status is reported with its code at once).
    /// </summary>
    public static HttpParseStatus TryParseClientResponse(ReadOnlySequence<byte> buffer, string secWebSocketKey, out SequencePosition consumed, out int statusCode, out string? errorReason)
    {
        consumed = buffer.Start;
        statusCode = 0;
        HttpRequestLimits limits = HttpRequestLimits.Default;
        var reader = new SequenceReader<byte>(buffer);
        if (!reader.TryReadTo(out ReadOnlySpan<byte> line, HttpHeaderReader.LF))
        {
            errorReason = reader.Remaining > limits.MaxRequestLineBytes + 1L ? "status line too long" : null;
            return errorReason is null ? HttpParseStatus.Incomplete : HttpParseStatus.Invalid;
        }

        if (line.IsEmpty || line[^1] != HttpHeaderReader.CR || !TryParseStatusLine(line[..^1], out statusCode, out string reasonPhrase))
        {
            errorReason = "malformed HTTP status line";
            return HttpParseStatus.Invalid;
        }

        if (statusCode != 101)
        {
            errorReason = $"server answered {statusCode} {reasonPhrase} instead of 101 Switching Protocols".Replace("  ", " ", StringComparison.Ordinal);
            return HttpParseStatus.Invalid;
        }

        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        HttpParseStatus status = HttpHeaderReader.TryRead(ref reader, limits.MaxHeaderCount, limits.MaxHeaderBytes, headers, out _, out errorReason);
        if (status != HttpParseStatus.Complete)
        {
            return status;
        }

        errorReason = ValidateSwitchingHeaders(headers, secWebSocketKey);
        if (errorReason is not null)
        {
            return HttpParseStatus.Invalid;
        }

        consumed = reader.Position;
        return HttpParseStatus.Complete;
    }

    private static string? ValidateSwitchingHeaders(Dictionary<string, string> headers, string secWebSocketKey)
    {
        if (!headers.TryGetValue("Upgrade", out string? upgrade) || !HttpRequest.ContainsToken(upgrade, "websocket"))
        {
            return "101 response without Upgrade: websocket";
        }

        if (!headers.TryGetValue("Connection", out string? connection) || !HttpRequest.ContainsToken(connection, "upgrade"))
        {
            return "101 response without Connection: Upgrade";
        }

        if (!headers.TryGetValue("Sec-WebSocket-Accept", out string? accept))
        {
            return "101 response without Sec-WebSocket-Accept";
        }

        if (!string.Equals(accept, ComputeAccept(secWebSocketKey), StringComparison.Ordinal))
        {
            return "Sec-WebSocket-Accept does not match the key sent";
        }

        if (headers.ContainsKey("Sec-WebSocket-Extensions"))
        {
            return "server selected an extension that was not offered";
        }

        if (headers.ContainsKey("Sec-WebSocket-Protocol"))
        {
            return "server selected a subprotocol that was not offered";
        }

        return null;
    }

    // "HTTP/1.1 101 Switching Protocols" (the reason phrase may be empty, with or without its space).
    private static bool TryParseStatusLine(ReadOnlySpan<byte> line, out int statusCode, out string reasonPhrase)
    {
        statusCode = 0;
        reasonPhrase = string.Empty;
        if (line.Length < 12 || !(line.StartsWith("HTTP/1.1 "u8) || line.StartsWith("HTTP/1.0 "u8)))
        {
            return false;
        }

        ReadOnlySpan<byte> code = line.Slice(9, 3);
        if (!char.IsAsciiDigit((char)code[0]) || !char.IsAsciiDigit((char)code[1]) || !char.IsAsciiDigit((char)code[2]))
        {
            return false;
        }

        if (line.Length > 12 && line[12] != (byte)' ')
        {
            return false;
        }

        statusCode = ((code[0] - '0') * 100) + ((code[1] - '0') * 10) + (code[2] - '0');
        ReadOnlySpan<byte> reason = line.Length > 13 ? line[13..] : [];
        foreach (byte b in reason)
        {
            if ((b < 0x20 && b != (byte)'\t') || b == 0x7F)
            {
                return false;
            }
        }

        reasonPhrase = Encoding.Latin1.GetString(reason);
        return true;
    }
}
