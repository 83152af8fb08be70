namespace GatewayProxy.Protocol.Http;

/// <summary>A parsed HTTP/1.x request head (request line and header fields).</summary>
public sealed class HttpRequest
{
    private readonly Dictionary<string, string> _headers;

    internal HttpRequest(string method, string target, string version, Dictionary<string, string> headers)
    {
        Method = method;
        Target = target;
        Version = version;
        _headers = headers;
        int question = target.IndexOf('?', StringComparison.Ordinal);
        Path = question < 0 ? target : target[..question];
        Query = question < 0 ? string.Empty : target[(question + 1)..];
    }

    /// <summary>Request method as sent (case-sensitive, e.g. "GET").</summary>
    public string Method { get; }

    /// <summary>Request target as sent (origin form: path and optional query).</summary>
    public string Target { get; }

    /// <summary>The target up to the '?', still percent-encoded.</summary>
    public string Path { get; }

    /// <summary>The target after the '?' (without it); empty when there is none.</summary>
    public string Query { get; }

    /// <summary>"HTTP/1.1" or "HTTP/1.0".</summary>
    public string Version { get; }

    /// <summary>Header fields by case-insensitive name; repeated fields are joined with ", ".</summary>
    public IReadOnlyDictionary<string, string> Headers => _headers;

    /// <summary>True when the request asks for a WebSocket upgrade (Upgrade: websocket and Connection: upgrade tokens).</summary>
    public bool IsWebSocketUpgrade =>
        HeaderHasToken("Upgrade", "websocket") && HeaderHasToken("Connection", "upgrade");

    /// <summary>The Sec-WebSocket-Key header, or null when absent.</summary>
    public string? WebSocketKey => GetHeader("Sec-WebSocket-Key");

    /// <summary>A header's value, or null when absent.</summary>
    public string? GetHeader(string name) => _headers.TryGetValue(name, out string? value) ? value : null;

    /// <summary>True when the header is present and its comma-separated list holds the token (case-insensitive).</summary>
    public bool HeaderHasToken(string name, string token) =>
        _headers.TryGetValue(name, out string? value) && ContainsToken(value, token);

    /// <summary>The first value of a query parameter, percent-decoded ('+' read as space); "" for a bare name, null when absent.</summary>
    public string? GetQueryValue(string name)
    {
        ReadOnlySpan<char> rest = Query;
        while (!rest.IsEmpty)
        {
            int amp = rest.IndexOf('&');
            ReadOnlySpan<char> pair = amp < 0 ? rest : rest[..amp];
            rest = amp < 0 ? [] : rest[(amp + 1)..];
            int eq = pair.IndexOf('=');
            ReadOnlySpan<char> key = eq < 0 ? pair : pair[..eq];
            if (Decode(key) == name)
            {
                return eq < 0 ? string.Empty : Decode(pair[(eq + 1)..]);
            }
        }

        return null;
    }

    /// <summary>True when a comma-separated header value holds the token, compared case-insensitively after trimming.</summary>
    public static bool ContainsToken(string headerValue, string token)
    {
        ReadOnlySpan<char> rest = headerValue;
        while (true)
        {
            int comma = rest.IndexOf(',');
            ReadOnlySpan<char> item = (comma < 0 ? rest : rest[..comma]).Trim(" \t");
            if (item.Equals(token, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }

            if (comma < 0)
            {
                return false;
            }

            rest = rest[(comma + 1)..];
        }
    }

    // UnescapeDataString leaves malformed escapes as they are, so a bad query never throws.
    private static string Decode(ReadOnlySpan<char> component) => Uri.UnescapeDataString(component.ToString().Replace('+', ' '));
}
