using System.Globalization;
using System.Text.Json;
using GatewayProxy.Tests.Host.EndToEnd;
using GatewayProxy.Tests.Support;
using Xunit;

namespace GatewayProxy.Tests.Interop;

/// <summary>More real client libraries through the proxy, each set up the way README.md tells its users (one GET
/// /gateway/bot to the proxy): Eris 0.18.0 and Oceanic.js 1.15.0 (both also over wss:// with a self-signed certificate trusted
/// through NODE_EXTRA_CA_CERTS) and @discordeno/gateway 21.0.0 asking for gateway v9. Each shard gets READY, exactly its
/// guilds and live events with contiguous sequences, then resumes against the proxy after an op 7 from it, and the proxy
/// never went back upstream.</summary>
public sealed class ProxyLibraryInteropTests : IDisposable
{
    private const int LiveEvents = 5;
    private static readonly TimeSpan LineTimeout = TimeSpan.FromSeconds(150);
    private readonly string _dir = Directory.CreateTempSubdirectory("gp-interop-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Theory]
    [InlineData("eris", false)]
    [InlineData("oceanic", false)]
    [InlineData("oceanic", true)]
    [InlineData("eris", true)]
    [InlineData("discordeno", false)]
    public async Task Library_gets_every_guild_and_live_events_and_resumes_through_the_proxy(string client, bool tls)
    {
        string certFile = Path.Combine(_dir, "fullchain.pem");
        string keyFile = Path.Combine(_dir, "privkey.pem");
        string extraConfig = "";
        if (tls)
        {
            using var certificate = TestCertificates.WritePem(certFile, keyFile);
            extraConfig = $",\"tls\": {{\"cert_file\": {JsonSerializer.Serialize(certFile)}, \"key_file\": {JsonSerializer.Serialize(keyFile)}}}";
        }

        await using ProxyFixture fixture = await ProxyFixture.StartAsync(o => o.EventsPerSecond = 20, extraConfig);
        int identifies = fixture.Simulator.IdentifyCount;
        string port = fixture.Proxy.LocalEndPoint.Port.ToString(CultureInfo.InvariantCulture);
        var environment = new Dictionary<string, string>();
        if (tls) environment["NODE_EXTRA_CA_CERTS"] = certFile;
        string version = client == "discordeno" ? "9" : "";
        await using NodeScript script = NodeScript.Start("simulator-clients.mjs", environment,
            "--client", client,
            "--api", $"{(tls ? "https" : "http")}://127.0.0.1:{port}/api",
            "--token", fixture.Token,
            "--shards", fixture.ShardCount.ToString(CultureInfo.InvariantCulture),
            "--live-events", LiveEvents.ToString(CultureInfo.InvariantCulture),
            "--gateway-version", version,
            "--timeout-ms", "150000");

        JsonElement ready = await ReadJsonAsync(script);
        Assert.True(ready.GetProperty("phase").GetString() == "ready", $"{client} did not get ready: {ready}\n{script.StandardError}");
        Assert.Equal(0, ready.GetProperty("errors").GetArrayLength());
        foreach (JsonElement shard in ready.GetProperty("shards").EnumerateArray())
        {
            int id = shard.GetProperty("shard").GetInt32();
            var guilds = shard.GetProperty("guilds").EnumerateArray().Select(g => g.GetString()!).Order().ToList();
            Assert.True(fixture.Simulator.State.GetGuildIds(id).Order().SequenceEqual(guilds), $"shard {id}: wrong guilds {string.Join(',', guilds)}");
            Assert.True(shard.GetProperty("liveEvents").GetInt32() >= LiveEvents);
            Assert.Equal(0, shard.GetProperty("seqProblems").GetInt32());
            Assert.Equal(1, shard.GetProperty("identifies").GetInt32());
            if (version.Length > 0)
            {
                string url = shard.GetProperty("url").GetString()!;
                Assert.StartsWith($"{(tls ? "wss" : "ws")}://127.0.0.1:{port}", url, StringComparison.Ordinal);
                Assert.Contains("v=" + version, url, StringComparison.Ordinal);
            }
        }

        // op 7 from the proxy, as Discord sends it: every shard resumes its proxy session and keeps getting events.
        Assert.Equal(fixture.ShardCount, fixture.Proxy.Server.SendReconnect());
        JsonElement result = await ReadJsonAsync(script);
        Assert.True(result.GetProperty("ok").GetBoolean(), $"{client} failed: {result}\n{script.StandardError}");
        foreach (JsonElement shard in result.GetProperty("shards").EnumerateArray())
        {
            Assert.True(shard.GetProperty("resumed").GetBoolean());
            Assert.True(shard.GetProperty("eventsAfterResume").GetInt32() >= LiveEvents);
            Assert.Equal(0, shard.GetProperty("seqProblems").GetInt32());
            Assert.Equal(1, shard.GetProperty("identifies").GetInt32());
        }

        Assert.Equal(identifies, fixture.Simulator.IdentifyCount);
    }

    private static async Task<JsonElement> ReadJsonAsync(NodeScript script)
    {
        string? line = await script.ReadLineAsync(LineTimeout);
        Assert.True(line is not null, "the node script ended without a line; stderr:\n" + script.StandardError);
        using var document = JsonDocument.Parse(line!);
        return document.RootElement.Clone();
    }
}
