namespace GatewayProxy.Ingress.Rest;

/// <summary>Gateway information could not be fetched; the message says what happened and what to fix.</summary>
public sealed class GatewayInfoException : Exception
{
    /// <summary>Creates the exception with an explanation.</summary>
    public GatewayInfoException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with an explanation and its cause.</summary>
    public GatewayInfoException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception with no explanation.</summary>
    public GatewayInfoException()
    {
    }

    /// <summary>True when retrying cannot help (a rejected token, a malformed answer).</summary>
    public bool IsPermanent { get; init; }
}
