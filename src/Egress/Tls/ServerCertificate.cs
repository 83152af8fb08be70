using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace GatewayProxy.Egress.Tls;

/// <summary>The client port's certificate, loaded from a PEM certificate file (the leaf first, then any intermediates, as in
/// Let's Encrypt's fullchain.pem) and a PEM private key file.</summary>
public sealed class ServerCertificate
{
    private ServerCertificate(X509Certificate2 leaf, SslStreamCertificateContext context, byte[] fileHash)
    {
        Leaf = leaf;
        Context = context;
        FileHash = fileHash;
    }

    /// <summary>The certificate presented to clients, with its private key.</summary>
    public X509Certificate2 Leaf { get; }

    /// <summary>What <see cref="SslStream"/> serves: the leaf and its intermediates.</summary>
    public SslStreamCertificateContext Context { get; }

    /// <summary>SHA-256 over both files' bytes: a reload with the same bytes changes nothing.</summary>
    internal byte[] FileHash { get; }

    /// <summary>Loads the pair; false with a reason that names the file at fault (missing, unreadable, not PEM, a key that
    /// does not belong to the certificate, a certificate outside its validity period).</summary>
    public static bool TryLoad(string certFile, string keyFile, DateTimeOffset now, out ServerCertificate? certificate, out string? error)
    {
        ArgumentNullException.ThrowIfNull(certFile);
        ArgumentNullException.ThrowIfNull(keyFile);
        certificate = null;
        if (!TryRead(certFile, "certificate", out string? certPem, out error) || !TryRead(keyFile, "private key", out string? keyPem, out error))
        {
            return false;
        }

        var chain = new X509Certificate2Collection();
        try
        {
            chain.ImportFromPem(certPem);
        }
        catch (CryptographicException e)
        {
            error = $"{certFile}: not a PEM certificate ({e.Message})";
            return false;
        }

        if (chain.Count == 0)
        {
            error = $"{certFile}: holds no \"-----BEGIN CERTIFICATE-----\" block";
            return false;
        }

        X509Certificate2 leaf;
        try
        {
            using X509Certificate2 withKey = X509Certificate2.CreateFromPem(certPem, keyPem);
            // A PKCS#12 round trip gives the key a form every platform's TLS stack accepts.
            leaf = X509CertificateLoader.LoadPkcs12(withKey.Export(X509ContentType.Pkcs12), null);
        }
        catch (Exception e) when (e is CryptographicException or ArgumentException)
        {
            error = $"{keyFile}: not the PEM private key of the certificate in {certFile} ({e.Message})";
            return false;
        }

        if (now < leaf.NotBefore || now > leaf.NotAfter)
        {
            error = $"{certFile}: the certificate is valid from {leaf.NotBefore:u} to {leaf.NotAfter:u}, not now ({now.UtcDateTime:u})";
            leaf.Dispose();
            return false;
        }

        var intermediates = new X509Certificate2Collection();
        for (int i = 1; i < chain.Count; i++) intermediates.Add(chain[i]);
        // offline: the chain is sent as the file gives it, never completed over the network.
        SslStreamCertificateContext context = SslStreamCertificateContext.Create(leaf, intermediates, offline: true);
        certificate = new ServerCertificate(leaf, context, Hash(certPem, keyPem));
        return true;
    }

    /// <summary>SHA-256 over both files as they are on disk now; null when one cannot be read.</summary>
    internal static byte[]? HashFiles(string certFile, string keyFile) =>
        TryRead(certFile, "certificate", out string? cert, out _) && TryRead(keyFile, "private key", out string? key, out _) ? Hash(cert, key) : null;

    private static byte[] Hash(string certPem, string keyPem) =>
        SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(certPem + "\n" + keyPem));

    private static bool TryRead(string path, string what, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out string? text, out string? error)
    {
        try
        {
            text = File.ReadAllText(path);
            error = null;
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotSupportedException or ArgumentException)
        {
            text = null;
            error = $"{path}: cannot read the {what} file ({e.Message})";
            return false;
        }
    }
}
