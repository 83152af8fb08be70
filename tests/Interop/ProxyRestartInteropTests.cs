using System.Globalization;
using System.Text.Json;
using GatewayProxy.Tests.Host.EndToEnd;
using Xunit;

namespace GatewayProxy.Tests.Interop;

/// <summary>The product's promise with real client libraries: Simulator (2 shards) → proxy → a Node bot process
/// (@discordjs/ws 2.0.4 or discord.js 14.28.1) that finds the proxy through its own GET /gateway/bot. The bot process is
/// SIGKILLed and started again: it is ready with every guild and live events at once, and the proxy never went back
/// upstream (the Simulator saw no new IDENTIFY and no RESUME).</summary>
public sealed class ProxyRestartInteropTests
{
    private const int LiveEvents = 5;
    private static readonly TimeSpan LineTimeout = TimeSpan.FromSeconds(120);

    [Theory]
    [InlineData("ws")]
    [InlineData("discord.js")]
    public async Task Killed_bot_process_restarts_through_the_proxy_without_a_new_upstream_identify(string client)
    {
        // A gentle live stream: the scripts wait for live events, the test waits for the scripts' lines.
        await using ProxyFixture fixture = await ProxyFixture.StartAsync(o => o.EventsPerSecond = 20);
        int identifies = fixture.Simulator.IdentifyCount;
        int resumes = fixture.Simulator.ResumeCount;
        Assert.Equal(2, identifies);

        List<string> firstSessions;
        await using (NodeScript first = StartBot(fixture, client))
        {
            JsonElement ready = await ReadReadyAsync(first);
            firstSessions = AssertReadyWithEveryGuild(fixture, ready, first);
            Assert.True(fixture.Proxy.Server.ConnectedClients >= 2, "the bot's two shard connections are live in the proxy");
            await first.KillAsync(TimeSpan.FromSeconds(60));
        }

        // The kernel dropped the dead process's sockets: the proxy sees both connections go (no close frame was sent).
        await fixture.WaitUntilAsync(() => fixture.Proxy.Server.ConnectedClients == 0, "the proxy to see the killed bot's connections drop");

        await using (NodeScript second = StartBot(fixture, client))
        {
            JsonElement ready = await ReadReadyAsync(second);
            List<string> secondSessions = AssertReadyWithEveryGuild(fixture, ready, second);
            Assert.Empty(secondSessions.Intersect(firstSessions));
        }

        // Neither the kill nor the new bot process made the proxy reconnect or re-identify upstream.
        Assert.Equal(identifies, fixture.Simulator.IdentifyCount);
        Assert.Equal(resumes, fixture.Simulator.ResumeCount);
        Assert.All(fixture.Proxy.Shards.Shards, s => Assert.True(s.IsReady));
    }

    private static NodeScript StartBot(ProxyFixture fixture, string client) =>
        NodeScript.Start("simulator-clients.mjs",
            "--client", client,
            // REST discovery (GET /api/v10/gateway/bot) goes to the proxy itself, which names its own URL; "fetch" does it
            // the way README.md tells bots to (fetchGatewayInformation for ws, a rest.get override for discord.js).
            "--api", $"http://127.0.0.1:{fixture.Proxy.LocalEndPoint.Port.ToString(CultureInfo.InvariantCulture)}/api",
            "--token", fixture.Token,
            "--shards", fixture.ShardCount.ToString(CultureInfo.InvariantCulture),
            "--live-events", LiveEvents.ToString(CultureInfo.InvariantCulture),
            "--then", "stay",
            "--discovery", "fetch",
            "--timeout-ms", "150000");

    /// <summary>Asserts every shard got READY once, exactly its guilds, live events, and contiguous sequences; returns the session ids.</summary>
    private static List<string> AssertReadyWithEveryGuild(ProxyFixture fixture, JsonElement ready, NodeScript script)
    {
        Assert.Equal(0, ready.GetProperty("errors").GetArrayLength());
        var sessions = new List<string>();
        JsonElement shards = ready.GetProperty("shards");
        Assert.Equal(fixture.ShardCount, shards.GetArrayLength());
        foreach (JsonElement shard in shards.EnumerateArray())
        {
            int id = shard.GetProperty("shard").GetInt32();
            var guilds = shard.GetProperty("guilds").EnumerateArray().Select(g => g.GetString()!).Order().ToList();
            Assert.True(fixture.Simulator.State.GetGuildIds(id).Order().SequenceEqual(guilds), $"shard {id}: wrong guilds {string.Join(',', guilds)}\n{script.StandardError}");
            Assert.True(shard.GetProperty("liveEvents").GetInt32() >= LiveEvents);
            Assert.Equal(0, shard.GetProperty("seqProblems").GetInt32());
            Assert.Equal(1, shard.GetProperty("identifies").GetInt32());
            sessions.Add(shard.GetProperty("sessionId").GetString()!);
        }

        return sessions;
    }

    private static async Task<JsonElement> ReadReadyAsync(NodeScript script)
    {
        string? line = await script.ReadLineAsync(LineTimeout);
        Assert.True(line is not null, "the node script ended without a line; stderr:\n" + script.StandardError);
        using JsonDocument document = JsonDocument.Parse(line!);
        JsonElement root = document.RootElement.Clone();
        Assert.True(root.GetProperty("phase").GetString() == "ready", $"script did not get ready: {line}\n{script.StandardError}");
        return root;
    }
}
