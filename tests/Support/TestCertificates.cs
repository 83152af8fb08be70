using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace GatewayProxy.Tests.Support;

/// <summary>Self-signed certificates for 127.0.0.1 written as PEM files (what an operator gets from openssl or certbot), and
/// a TLS probe that reports which certificate a server presents.</summary>
internal static class TestCertificates
{
    /// <summary>Makes a fresh key and self-signed certificate and writes them to <paramref name="certFile"/> and
    /// <paramref name="keyFile"/> (each written whole to a temporary name, then renamed over the target, as certbot's
    /// symlink swap or a Kubernetes secret update replace them); returns the certificate (public part).</summary>
    public static X509Certificate2 WritePem(string certFile, string keyFile, string subject = "CN=GatewayProxy test", bool rsa = false,
        DateTimeOffset? notBefore = null, DateTimeOffset? notAfter = null)
    {
        using AsymmetricAlgorithm key = rsa ? RSA.Create(2048) : ECDsa.Create(ECCurve.NamedCurves.nistP256);
        CertificateRequest request = key is RSA r
            ? new CertificateRequest(subject, r, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1)
            : new CertificateRequest(subject, (ECDsa)key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        names.AddDnsName("localhost");
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, false));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        DateTimeOffset now = DateTimeOffset.UtcNow;
        using X509Certificate2 certificate = request.CreateSelfSigned(notBefore ?? now.AddDays(-1), notAfter ?? now.AddDays(30));
        Replace(certFile, certificate.ExportCertificatePem() + "\n");
        Replace(keyFile, key.ExportPkcs8PrivateKeyPem() + "\n");
        return X509CertificateLoader.LoadCertificate(certificate.RawData);
    }

    /// <summary>The thumbprint of the certificate a TLS server on 127.0.0.1:<paramref name="port"/> presents to a new connection.</summary>
    public static async Task<string> PresentedThumbprintAsync(int port)
    {
        using var timeout = new CancellationTokenSource(RawGatewayClient.DefaultTimeout);
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(IPAddress.Loopback, port, timeout.Token);
        string? seen = null;
        await using var ssl = new SslStream(new NetworkStream(socket, ownsSocket: false), leaveInnerStreamOpen: false, (_, certificate, _, _) =>
        {
            // Any certificate will do: the probe only reports which one the server presents.
            seen = certificate?.GetCertHashString();
            return seen is not null;
        });
        await ssl.AuthenticateAsClientAsync(new SslClientAuthenticationOptions { TargetHost = "127.0.0.1" }, timeout.Token);
        return seen ?? throw new InvalidOperationException("the server presented no certificate");
    }

    private static void Replace(string path, string text)
    {
        string temporary = path + ".new";
        File.WriteAllText(temporary, text);
        File.Move(temporary, path, overwrite: true);
    }
}
