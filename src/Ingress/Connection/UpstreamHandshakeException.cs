namespace GatewayProxy.Ingress.Connection;

/// <summary>The upstream WebSocket upgrade failed.</summary>
public sealed class UpstreamHandshakeException : Exception
{
    /// <summary>Creates the exception for HTTP <paramref name="statusCode"/> (0 when none) and a reason.</summary>
    public UpstreamHandshakeException(int statusCode, string reason)
        : base(statusCode == 0 ? "WebSocket handshake failed: " + reason : $"WebSocket handshake failed ({statusCode}): {reason}") => StatusCode = statusCode;

    /// <summary>Creates the exception with no details.</summary>
    public UpstreamHandshakeException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public UpstreamHandshakeException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and its cause.</summary>
    public UpstreamHandshakeException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>The HTTP status the server answered (0 when it answered none).</summary>
    public int StatusCode { get; }
}
