namespace GatewayProxy.Egress.Tls;

/// <summary>The configured certificate or key cannot be served; the message names the file and what is wrong with it.</summary>
public sealed class TlsCertificateException : Exception
{
    public TlsCertificateException()
    {
    }

    public TlsCertificateException(string message)
        : base(message)
    {
    }

    public TlsCertificateException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
