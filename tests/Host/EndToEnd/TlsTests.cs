using System.Globalization;
using System.Net;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using GatewayProxy.Simulator;
using GatewayProxy.Tests.Support;
using Xunit;

namespace GatewayProxy.Tests.Host.EndToEnd;

/// <summary>With <c>tls</c> set the client port speaks https/wss only, with a self-signed certificate generated here and
/// written as PEM files, and serves a certificate replaced on disk to new connections without a restart
/// (docs/configuration.md, "TLS").</summary>
public sealed class TlsTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("gp-tls-").FullName;

    private string CertFile => Path.Combine(_dir, "fullchain.pem");

    private string KeyFile => Path.Combine(_dir, "privkey.pem");

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task A_raw_client_over_wss_gets_ready_its_guilds_and_live_events_and_every_url_says_wss()
    {
        using X509Certificate2 certificate = TestCertificates.WritePem(CertFile, KeyFile);
        await using ProxyFixture fixture = await StartAsync();
        int port = fixture.Proxy.LocalEndPoint.Port;
        string wss = "wss://127.0.0.1:" + port.ToString(CultureInfo.InvariantCulture);
        Assert.Equal(certificate.Thumbprint, await TestCertificates.PresentedThumbprintAsync(port));

        await using ProxyClient client = await ProxyFixture.ConnectIdentifiedAsync(new Uri(wss), fixture.Token, shard: 1, fixture.ShardCount,
            trustedCertificate: certificate);
        Assert.Equal(wss, client.Ready.Data.GetProperty("resume_gateway_url").GetString());
        var expected = fixture.Simulator.State.GetGuildIds(1).Select(id => id.ToString(CultureInfo.InvariantCulture)).Order().ToList();
        Assert.Equal(expected, client.Guilds.Select(g => g.Data.GetProperty("id").GetString()!).Order().ToList());
        int before = fixture.LiveDispatches(1).Count;
        await fixture.Simulator.EmitEventsAsync(1, 30);
        List<GatewayMessage> received = await client.ReceiveDispatchesAsync(30);
        ProxyFixture.AssertRelayed(fixture.LiveDispatches(1).Skip(before).ToList(), received, firstSeq: client.Guilds.Count + 2);

        // The HTTP endpoints share the port and the certificate.
        using var handler = new HttpClientHandler
        {
            ServerCertificateCustomValidationCallback = (_, presented, _, _) => presented?.Thumbprint == certificate.Thumbprint,
        };
        using var http = new HttpClient(handler) { BaseAddress = new Uri("https://127.0.0.1:" + port.ToString(CultureInfo.InvariantCulture)), Timeout = TimeSpan.FromSeconds(30) };
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v9/gateway/bot");
        request.Headers.TryAddWithoutValidation("Authorization", "Bot " + fixture.Token);
        using HttpResponseMessage bot = await http.SendAsync(request);
        using JsonDocument discovery = JsonDocument.Parse(await bot.Content.ReadAsStringAsync());
        Assert.Equal(wss, discovery.RootElement.GetProperty("url").GetString());
        using HttpResponseMessage health = await http.GetAsync(new Uri("/health", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);

        // Only TLS is spoken there: a plain ws:// upgrade gets no answer, and is counted.
        await Assert.ThrowsAnyAsync<Exception>(() => RawGatewayClient.ConnectAsync(new Uri("ws://127.0.0.1:" + port.ToString(CultureInfo.InvariantCulture))));
        await fixture.WaitUntilAsync(() => fixture.Proxy.Server.RefusedCount(GatewayProxy.Egress.Metrics.RefusalReason.TlsHandshake) >= 1,
            "the plain-text connection to be counted as a failed TLS handshake");
    }

    [Fact]
    public async Task A_certificate_rotated_on_disk_is_presented_to_new_connections_without_a_restart()
    {
        using X509Certificate2 first = TestCertificates.WritePem(CertFile, KeyFile, "CN=first");
        await using ProxyFixture fixture = await StartAsync(o => o.EventsPerSecond = 0);
        int port = fixture.Proxy.LocalEndPoint.Port;
        var url = new Uri("wss://127.0.0.1:" + port.ToString(CultureInfo.InvariantCulture));
        await using ProxyClient before = await ProxyFixture.ConnectIdentifiedAsync(url, fixture.Token, shard: 0, fixture.ShardCount, trustedCertificate: first);

        using X509Certificate2 second = TestCertificates.WritePem(CertFile, KeyFile, "CN=second", rsa: true);
        await fixture.WaitUntilAsync(() => fixture.Proxy.Server.Certificate!.Leaf.Thumbprint == second.Thumbprint, "the proxy to load the rotated certificate");
        Assert.Equal(second.Thumbprint, await TestCertificates.PresentedThumbprintAsync(port));
        await using ProxyClient after = await ProxyFixture.ConnectIdentifiedAsync(url, fixture.Token, shard: 0, fixture.ShardCount, trustedCertificate: second);

        // The connection opened with the first certificate carries on.
        await fixture.Simulator.EmitEventsAsync(0, 3);
        Assert.Equal(3, (await before.ReceiveDispatchesAsync(3)).Count);
        Assert.Equal(3, (await after.ReceiveDispatchesAsync(3)).Count);

        // A broken pair on disk (a key that is not the certificate's) is refused and the working certificate kept.
        TestCertificates.WritePem(Path.Combine(_dir, "other.pem"), Path.Combine(_dir, "other-key.pem"));
        File.Copy(Path.Combine(_dir, "other-key.pem"), KeyFile, overwrite: true);
        Assert.False(fixture.Proxy.Server.ReloadCertificate());
        Assert.Equal(second.Thumbprint, await TestCertificates.PresentedThumbprintAsync(port));
    }

    private Task<ProxyFixture> StartAsync(Action<SimulatorOptions>? simulator = null) =>
        ProxyFixture.StartAsync(simulator, extraConfig: $",\"tls\": {{\"cert_file\": {JsonSerializer.Serialize(CertFile)}, \"key_file\": {JsonSerializer.Serialize(KeyFile)}}}");
}
