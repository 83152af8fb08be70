using System.Buffers;
using System.Text;

namespace GatewayProxy.Protocol.Http;

/// <summary>Strict HTTP/1.x request head parser: request line, header fields, empty line; nothing lenient, every limit enforced early.</summary>
public static class HttpRequestParser
{
    /// <summary>
    /// Parses a request head from <paramref name="buffer"/>. Complete: <paramref name="request"/> is set and
    /// <paramref name="consumed"/> is just past the empty line. Incomplete: wait for more bytes. Invalid: an HTTP status
    /// (400, 414 long request line, 431 headers too large, 505 bad version) and a reason to send back.
    /// </summary>
    public static HttpParseStatus TryParse(ReadOnlySequence<byte> buffer, HttpRequestLimits limits, out HttpRequest? request, out SequencePosition consumed, out int errorStatus, out string? errorReason)
    {
        ArgumentNullException.ThrowIfNull(limits);
        request = null;
        consumed = buffer.Start;
        var reader = new SequenceReader<byte>(buffer);
        if (!reader.TryReadTo(out ReadOnlySpan<byte> line, HttpHeaderReader.LF))
        {
            // Room for the line plus its CR; anything beyond that already breaks the limit.
            if (reader.Remaining > limits.MaxRequestLineBytes + 1L)
            {
                return HttpHeaderReader.Reject(414, $"request line longer than {limits.MaxRequestLineBytes} bytes", out errorStatus, out errorReason);
            }

            errorStatus = 0;
            errorReason = null;
            return HttpParseStatus.Incomplete;
        }

        if (line.Length - 1 > limits.MaxRequestLineBytes)
        {
            return HttpHeaderReader.Reject(414, $"request line longer than {limits.MaxRequestLineBytes} bytes", out errorStatus, out errorReason);
        }

        if (line.IsEmpty || line[^1] != HttpHeaderReader.CR)
        {
            return HttpHeaderReader.Reject(400, "request line does not end with CRLF", out errorStatus, out errorReason);
        }

        HttpParseStatus status = TryParseRequestLine(line[..^1], out string method, out string target, out string version, out errorStatus, out errorReason);
        if (status != HttpParseStatus.Complete)
        {
            return status;
        }

        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        status = HttpHeaderReader.TryRead(ref reader, limits.MaxHeaderCount, limits.MaxHeaderBytes, headers, out errorStatus, out errorReason);
        if (status != HttpParseStatus.Complete)
        {
            return status;
        }

        request = new HttpRequest(method, target, version, headers);
        consumed = reader.Position;
        return HttpParseStatus.Complete;
    }

    private static HttpParseStatus TryParseRequestLine(ReadOnlySpan<byte> line, out string method, out string target, out string version, out int errorStatus, out string? errorReason)
    {
        method = target = version = string.Empty;
        int firstSpace = line.IndexOf((byte)' ');
        if (firstSpace <= 0)
        {
            return HttpHeaderReader.Reject(400, "malformed request line", out errorStatus, out errorReason);
        }

        ReadOnlySpan<byte> rest = line[(firstSpace + 1)..];
        int secondSpace = rest.IndexOf((byte)' ');
        if (secondSpace <= 0)
        {
            return HttpHeaderReader.Reject(400, "malformed request line", out errorStatus, out errorReason);
        }

        ReadOnlySpan<byte> methodBytes = line[..firstSpace];
        ReadOnlySpan<byte> targetBytes = rest[..secondSpace];
        ReadOnlySpan<byte> versionBytes = rest[(secondSpace + 1)..];
        if (!HttpHeaderReader.IsToken(methodBytes))
        {
            return HttpHeaderReader.Reject(400, "invalid request method", out errorStatus, out errorReason);
        }

        if (targetBytes[0] != (byte)'/' || !IsTargetText(targetBytes))
        {
            return HttpHeaderReader.Reject(400, "request target must be an origin-form path", out errorStatus, out errorReason);
        }

        if (!versionBytes.SequenceEqual("HTTP/1.1"u8) && !versionBytes.SequenceEqual("HTTP/1.0"u8))
        {
            bool looksLikeVersion = versionBytes.Length == 8 && versionBytes.StartsWith("HTTP/"u8)
                && char.IsAsciiDigit((char)versionBytes[5]) && versionBytes[6] == (byte)'.' && char.IsAsciiDigit((char)versionBytes[7]);
            return looksLikeVersion
                ? HttpHeaderReader.Reject(505, "HTTP version not supported (HTTP/1.1 required)", out errorStatus, out errorReason)
                : HttpHeaderReader.Reject(400, "malformed HTTP version", out errorStatus, out errorReason);
        }

        method = Encoding.ASCII.GetString(methodBytes);
        target = Encoding.ASCII.GetString(targetBytes);
        version = Encoding.ASCII.GetString(versionBytes);
        errorStatus = 0;
        errorReason = null;
        return HttpParseStatus.Complete;
    }

    // Visible ASCII only (no spaces, controls or raw non-ASCII); '#' never travels in a request target.
    private static bool IsTargetText(ReadOnlySpan<byte> target)
    {
        foreach (byte b in target)
        {
            if (b <= 0x20 || b >= 0x7F || b == (byte)'#')
            {
                return false;
            }
        }

        return true;
    }
}
