using System.Globalization;
using System.Text.Json;
using GatewayProxy.Tests.Host.EndToEnd;
using Xunit;

namespace GatewayProxy.Tests.Interop;

/// <summary>discord.js 14.28.1 with <c>shardCount: 1</c> through a proxy holding 2 upstream shards (and advertising
/// <c>client_shards: 1</c>): one connection, READY with every guild of both shards, live events from both with contiguous
/// sequences, and a RESUME after op 7 — with no IDENTIFY upstream on its behalf.</summary>
public sealed class VirtualShardInteropTests
{
    private const int LiveEvents = 10;

    [Fact]
    public async Task Discord_js_with_one_shard_over_a_two_shard_proxy_gets_every_guild_live_events_and_resumes()
    {
        await using ProxyFixture fixture = await ProxyFixture.StartAsync(o => o.EventsPerSecond = 20, ",\"client_shards\": 1");
        int identifies = fixture.Simulator.IdentifyCount;
        string port = fixture.Proxy.LocalEndPoint.Port.ToString(CultureInfo.InvariantCulture);
        await using NodeScript script = NodeScript.Start("simulator-clients.mjs",
            "--client", "discord.js",
            "--api", $"http://127.0.0.1:{port}/api",
            "--token", fixture.Token,
            "--shards", "1",
            "--live-events", LiveEvents.ToString(CultureInfo.InvariantCulture),
            "--timeout-ms", "150000");

        JsonElement ready = await ReadJsonAsync(script);
        Assert.True(ready.GetProperty("phase").GetString() == "ready", $"discord.js did not get ready: {ready}\n{script.StandardError}");
        Assert.Equal(0, ready.GetProperty("errors").GetArrayLength());
        JsonElement shard = Assert.Single(ready.GetProperty("shards").EnumerateArray());
        var expected = fixture.Simulator.State.GetGuildIds(0).Concat(fixture.Simulator.State.GetGuildIds(1)).Order().ToList();
        Assert.Equal(expected, shard.GetProperty("guilds").EnumerateArray().Select(g => g.GetString()!).Order().ToList());
        Assert.True(shard.GetProperty("liveEvents").GetInt32() >= LiveEvents);
        Assert.Equal(0, shard.GetProperty("seqProblems").GetInt32());

        Assert.Equal(1, fixture.Proxy.Server.SendReconnect());
        JsonElement result = await ReadJsonAsync(script);
        Assert.True(result.GetProperty("ok").GetBoolean(), $"discord.js failed: {result}\n{script.StandardError}");
        JsonElement after = Assert.Single(result.GetProperty("shards").EnumerateArray());
        Assert.True(after.GetProperty("resumed").GetBoolean());
        Assert.True(after.GetProperty("eventsAfterResume").GetInt32() >= LiveEvents);
        Assert.Equal(0, after.GetProperty("seqProblems").GetInt32());
        Assert.Equal(1, after.GetProperty("identifies").GetInt32());
        Assert.Equal(identifies, fixture.Simulator.IdentifyCount);
    }

    private static async Task<JsonElement> ReadJsonAsync(NodeScript script)
    {
        string? line = await script.ReadLineAsync(TimeSpan.FromSeconds(150));
        Assert.True(line is not null, "the node script ended without a line; stderr:\n" + script.StandardError);
        using JsonDocument document = JsonDocument.Parse(line!);
        return document.RootElement.Clone();
    }
}
