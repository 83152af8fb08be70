using System.Buffers;
using System.Text;

namespace GatewayProxy.Protocol.Http;

/// <summary>Reads the header section of an HTTP/1.x head strictly (RFC 9112 §5), shared by request and response parsing.</summary>
internal static class HttpHeaderReader
{
    internal const byte CR = (byte)'\r';
    internal const byte LF = (byte)'\n';

    // tchar (RFC 9110 §5.6.2): the characters a method or field name may contain.
    private static readonly SearchValues<byte> TokenChars =
        SearchValues.Create("!#$%&'*+-.^_`|~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"u8);

    /// <summary>True when every byte is a tchar and there is at least one.</summary>
    internal static bool IsToken(ReadOnlySpan<byte> value) => !value.IsEmpty && !value.ContainsAnyExcept(TokenChars);

    /// <summary>
    /// Reads header lines up to and including the empty line. Invalid on a malformed line, more than
    /// <paramref name="maxCount"/> fields or more than <paramref name="maxBytes"/> bytes (even before the head is complete).
    /// </summary>
    internal static HttpParseStatus TryRead(ref SequenceReader<byte> reader, int maxCount, int maxBytes, Dictionary<string, string> headers, out int errorStatus, out string? errorReason)
    {
        errorStatus = 0;
        errorReason = null;
        long start = reader.Consumed;
        int count = 0;
        while (true)
        {
            if (!reader.TryReadTo(out ReadOnlySpan<byte> line, LF))
            {
                if (reader.Consumed - start + reader.Remaining > maxBytes)
                {
                    return Reject(431, $"header section larger than {maxBytes} bytes", out errorStatus, out errorReason);
                }

                return HttpParseStatus.Incomplete;
            }

            if (reader.Consumed - start > maxBytes)
            {
                return Reject(431, $"header section larger than {maxBytes} bytes", out errorStatus, out errorReason);
            }

            if (line.IsEmpty || line[^1] != CR)
            {
                return Reject(400, "header line does not end with CRLF", out errorStatus, out errorReason);
            }

            line = line[..^1];
            if (line.IsEmpty)
            {
                return HttpParseStatus.Complete;
            }

            if (++count > maxCount)
            {
                return Reject(431, $"more than {maxCount} header fields", out errorStatus, out errorReason);
            }

            if (line[0] is (byte)' ' or (byte)'\t')
            {
                return Reject(400, "obsolete header line folding", out errorStatus, out errorReason);
            }

            int colon = line.IndexOf((byte)':');
            if (colon < 0)
            {
                return Reject(400, "header line without a colon", out errorStatus, out errorReason);
            }

            ReadOnlySpan<byte> name = line[..colon];
            if (!IsToken(name))
            {
                // Also catches whitespace before the colon ("Name : value"), which RFC 9112 says to reject.
                return Reject(400, "invalid header field name", out errorStatus, out errorReason);
            }

            ReadOnlySpan<byte> value = line[(colon + 1)..].Trim(" \t"u8);
            if (!IsFieldValue(value))
            {
                return Reject(400, "invalid character in header field value", out errorStatus, out errorReason);
            }

            string key = Encoding.ASCII.GetString(name);
            string text = Encoding.Latin1.GetString(value);
            headers[key] = headers.TryGetValue(key, out string? existing) ? existing + ", " + text : text;
        }
    }

    /// <summary>Sets the error outputs and returns Invalid (keeps call sites one line).</summary>
    internal static HttpParseStatus Reject(int status, string reason, out int errorStatus, out string? errorReason)
    {
        errorStatus = status;
        errorReason = reason;
        return HttpParseStatus.Invalid;
    }

    // field-value: VCHAR, SP, HTAB and obs-text; any other control byte (CR, LF, NUL, DEL...) is rejected.
    private static bool IsFieldValue(ReadOnlySpan<byte> value)
    {
        foreach (byte b in value)
        {
            if ((b < 0x20 && b != (byte)'\t') || b == 0x7F)
            {
                return false;
            }
        }

        return true;
    }
}
