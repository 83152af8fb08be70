using System.Net.Http.Headers;
using GatewayProxy.Protocol.Compression;
using GatewayProxy.Tests.Support;
using Xunit;

namespace GatewayProxy.Tests.Simulator;

/// <summary>zlib-stream, zstd-stream, IDENTIFY compress:true and wss:// with the generated certificate.</summary>
public sealed class CompressionAndTlsTests
{
    [Theory]
    [InlineData(TransportCompression.ZlibStream)]
    [InlineData(TransportCompression.ZstdStream)]
    public async Task Transport_compression_decodes_to_exactly_the_sent_payloads(TransportCompression compression)
    {
        await using var simulator = await SimulatorClients.StartAsync();
        await using var client = await SimulatorClients.ConnectIdentifiedAsync(simulator, 0, compression: compression);
        await simulator.EmitEventsAsync(0, 10);
        var live = new List<GatewayMessage>();
        for (var i = 0; i < 10; i++)
        {
            live.Add(await client.Client.ReceiveAsync());
        }

        Assert.True(client.Hello.BinaryFrame);
        var received = new[] { client.Ready }.Concat(client.GuildCreates).Concat(live).ToList();
        Assert.All(received, m => Assert.True(m.BinaryFrame));
        var sent = simulator.GetSentDispatches(0);
        Assert.Equal(sent.Select(d => Convert.ToHexString(d.Payload)), received.Select(m => Convert.ToHexString(m.Json)));
    }

    [Fact]
    public async Task Identify_compress_true_sends_large_payloads_as_zlib_binary_frames()
    {
        await using var simulator = await SimulatorClients.StartAsync(o => o.PayloadCompressionThreshold = 1024);
        await using var client = await SimulatorClients.ConnectIdentifiedAsync(simulator, 0, extra: ",\"compress\":true");
        Assert.False(client.Hello.BinaryFrame);
        Assert.All(client.GuildCreates, m => Assert.True(m.BinaryFrame));
        var sent = simulator.GetSentDispatches(0);
        Assert.Equal(sent.Skip(1).Select(d => Convert.ToHexString(d.Payload)), client.GuildCreates.Select(m => Convert.ToHexString(m.Json)));

        // Small payloads stay text.
        await client.Client.HeartbeatAsync();
        var ack = await client.Client.ReceiveAsync();
        Assert.Equal(11, ack.Op);
        Assert.False(ack.BinaryFrame);
    }

    [Fact]
    public async Task Compress_given_as_a_string_is_accepted_and_ignored()
    {
        await using var simulator = await SimulatorClients.StartAsync();
        await using var client = await SimulatorClients.ConnectIdentifiedAsync(simulator, 0, extra: ",\"compress\":\"zlib-stream\"");
        Assert.All(client.GuildCreates, m => Assert.False(m.BinaryFrame));
    }

    [Fact]
    public async Task Tls_gateway_and_rest_work_with_the_generated_certificate()
    {
        await using var simulator = await SimulatorClients.StartAsync(o => o.Tls = true);
        Assert.Equal("wss", simulator.GatewayUrl.Scheme);
        Assert.NotNull(simulator.Certificate);
        await using (var client = await SimulatorClients.ConnectIdentifiedAsync(simulator, 1, compression: TransportCompression.ZlibStream))
        {
            Assert.Equal("READY", client.Ready.Type);
            Assert.Equal(simulator.State.GetGuildIds(1).Count, client.GuildCreates.Count);
            Assert.StartsWith("wss://127.0.0.1:", client.Ready.Data.GetProperty("resume_gateway_url").GetString(), StringComparison.Ordinal);
        }

        var thumbprint = simulator.Certificate!.Thumbprint;
        using var handler = new HttpClientHandler
        {
            ServerCertificateCustomValidationCallback = (_, certificate, _, _) => certificate?.Thumbprint == thumbprint,
        };
        using var http = new HttpClient(handler);
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bot", simulator.Options.Token);
        var body = await http.GetStringAsync(new Uri(simulator.ApiBaseUrl + "/gateway/bot"));
        Assert.Contains($"wss://127.0.0.1:{simulator.Port}", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Tls_client_that_does_not_trust_the_certificate_fails_the_handshake()
    {
        await using var simulator = await SimulatorClients.StartAsync(o => o.Tls = true);
        await Assert.ThrowsAsync<System.Security.Authentication.AuthenticationException>(() => RawGatewayClient.ConnectAsync(simulator.GatewayUrl));
    }
}
