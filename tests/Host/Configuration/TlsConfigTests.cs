using System.Text.Json;
using GatewayProxy.Host.Configuration;
using GatewayProxy.Host.Wiring;
using GatewayProxy.Tests.Support;
using Xunit;
using static GatewayProxy.Tests.Host.Configuration.ConfigTestData;

namespace GatewayProxy.Tests.Host.Configuration;

/// <summary><c>tls</c> is checked like every other field, and a certificate that cannot be served stops the start with an
/// error naming the file.</summary>
public sealed class TlsConfigTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("gp-tls-config-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Theory]
    [InlineData("\"tls\": \"on\"", "config.json: \"tls\" is \"on\", wanted an object like {\"cert_file\": \"/etc/gateway-proxy/fullchain.pem\", \"key_file\": \"/etc/gateway-proxy/privkey.pem\"} or null")]
    [InlineData("\"tls\": {\"cert_file\": \"c.pem\"}", "config.json: \"tls.key_file\" is missing, wanted the path of a PEM private key file")]
    [InlineData("\"tls\": {\"cert_file\": \"c.pem\", \"key_file\": \"\"}", "config.json: \"tls.key_file\" is \"\", wanted the path of a PEM private key file")]
    [InlineData("\"tls\": {\"cert_file\": 1, \"key_file\": \"k.pem\"}", "config.json: \"tls.cert_file\" is 1, wanted the path of a PEM certificate file")]
    [InlineData("\"tls\": {\"cert_fle\": \"c.pem\", \"key_file\": \"k.pem\"}", "config.json: unknown key \"tls.cert_fle\" (did you mean \"tls.cert_file\"?)")]
    public void Malformed_tls_fields_are_reported_like_every_other_field(string fields, string expected)
    {
        Assert.Contains(expected, ErrorsWith(fields));
    }

    [Fact]
    public void No_tls_or_null_serves_plain_ws()
    {
        Assert.Null(LoadWith("").Tls);
        Assert.Null(LoadWith("\"tls\": null").Tls);
        Assert.Null(OptionsMapping.ToEgress(LoadWith(""), Prometheus.Metrics.NewCustomRegistry()).TlsCertificateFile);
    }

    [Fact]
    public void A_valid_pem_pair_loads_and_reaches_the_client_port()
    {
        (string cert, string key) = Paths();
        TestCertificates.WritePem(cert, key, rsa: true);
        ProxyConfig config = LoadWith(TlsField(cert, key));
        Assert.Equal(new TlsConfig(cert, key), config.Tls);
        GatewayProxy.Egress.EgressOptions egress = OptionsMapping.ToEgress(config, Prometheus.Metrics.NewCustomRegistry());
        Assert.Equal((cert, key, true), (egress.TlsCertificateFile, egress.TlsKeyFile, egress.Tls));
    }

    [Fact]
    public void A_missing_certificate_file_is_a_startup_error_naming_it()
    {
        (string cert, string key) = Paths();
        string error = Assert.Single(ErrorsWith(TlsField(cert, key)));
        Assert.StartsWith($"config.json: \"tls\": {cert}: cannot read the certificate file", error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_file_without_a_certificate_is_a_startup_error_naming_it()
    {
        (string cert, string key) = Paths();
        TestCertificates.WritePem(cert, key);
        File.WriteAllText(cert, "not a certificate\n");
        string error = Assert.Single(ErrorsWith(TlsField(cert, key)));
        Assert.Equal($"config.json: \"tls\": {cert}: holds no \"-----BEGIN CERTIFICATE-----\" block", error);
    }

    [Fact]
    public void A_key_of_another_certificate_is_a_startup_error_naming_the_key_file()
    {
        (string cert, string key) = Paths();
        TestCertificates.WritePem(cert, key);
        string otherCert = Path.Combine(_dir, "other.pem");
        string otherKey = Path.Combine(_dir, "other-key.pem");
        TestCertificates.WritePem(otherCert, otherKey);
        string error = Assert.Single(ErrorsWith(TlsField(cert, otherKey)));
        Assert.StartsWith($"config.json: \"tls\": {otherKey}: not the PEM private key of the certificate in {cert}", error, StringComparison.Ordinal);
    }

    [Fact]
    public void An_expired_certificate_is_a_startup_error_naming_it()
    {
        (string cert, string key) = Paths();
        DateTimeOffset now = DateTimeOffset.UtcNow;
        TestCertificates.WritePem(cert, key, notBefore: now.AddDays(-30), notAfter: now.AddDays(-1));
        string error = Assert.Single(ErrorsWith(TlsField(cert, key)));
        Assert.StartsWith($"config.json: \"tls\": {cert}: the certificate is valid from ", error, StringComparison.Ordinal);
        Assert.Contains(", not now (", error, StringComparison.Ordinal);
    }

    private (string Cert, string Key) Paths() => (Path.Combine(_dir, "fullchain.pem"), Path.Combine(_dir, "privkey.pem"));

    private static string TlsField(string cert, string key) =>
        $"\"tls\": {{\"cert_file\": {JsonSerializer.Serialize(cert)}, \"key_file\": {JsonSerializer.Serialize(key)}}}";
}
