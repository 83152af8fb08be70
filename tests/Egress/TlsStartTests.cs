using System.Net;
using GatewayProxy.Egress;
using GatewayProxy.Egress.Tls;
using GatewayProxy.Tests.Egress.Support;
using GatewayProxy.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;
using Prometheus;
using Xunit;

namespace GatewayProxy.Tests.Egress;

/// <summary>A certificate the client port cannot serve stops the server's start with an error naming the file.</summary>
public sealed class TlsStartTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("gp-tls-start-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void A_key_file_that_is_not_pem_stops_the_start_naming_it()
    {
        string cert = Path.Combine(_dir, "cert.pem");
        string key = Path.Combine(_dir, "key.pem");
        TestCertificates.WritePem(cert, key);
        File.WriteAllText(key, "-----BEGIN PRIVATE KEY-----\nnot base64\n-----END PRIVATE KEY-----\n");
        var options = new EgressOptions
        {
            BindAddress = IPAddress.Loopback,
            Port = 0,
            Token = EgressTestServer.Token,
            Metrics = Metrics.NewCustomRegistry(),
            TlsCertificateFile = cert,
            TlsKeyFile = key,
        };
        var directory = new TestShardDirectory(1, 0, [new TestShardFeed(0, 64, null)]);
        TlsCertificateException e = Assert.Throws<TlsCertificateException>(() => ProxyServer.Start(options, directory, NullLogger.Instance));
        Assert.StartsWith($"{key}: not the PEM private key of the certificate in {cert}", e.Message, StringComparison.Ordinal);
    }
}
