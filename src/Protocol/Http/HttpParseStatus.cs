namespace GatewayProxy.Protocol.Http;

/// <summary>Outcome of parsing an HTTP/1.1 message head.</summary>
public enum HttpParseStatus
{
    /// <summary>The head is not complete yet (and no limit is exceeded so far).</summary>
    Incomplete,
    /// <summary>The head was parsed in full.</summary>
    Complete,
    /// <summary>The head is malformed or exceeds a limit; see the error status and reason.</summary>
    Invalid,
}
