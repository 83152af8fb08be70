namespace GatewayProxy.Protocol.Http;

/// <summary>Size limits applied while parsing a request head; exceeding one rejects the request even before it is complete.</summary>
/// <param name="MaxRequestLineBytes">Longest request line, CRLF excluded (over → 414).</param>
/// <param name="MaxHeaderCount">Most header fields (over → 431).</param>
/// <param name="MaxHeaderBytes">Most bytes in the header section after the request line, final CRLF included (over → 431).</param>
public sealed record HttpRequestLimits(int MaxRequestLineBytes = 8192, int MaxHeaderCount = 64, int MaxHeaderBytes = 16384)
{
    /// <summary>The default limits.</summary>
    public static HttpRequestLimits Default { get; } = new();
}
