using System.Globalization;
using System.Text.Json;
using GatewayProxy.Simulator;
using Xunit;

namespace GatewayProxy.Tests.Interop;

/// <summary>
/// Real clients against the simulator: @discordjs/ws 2.0.4 (with @discordjs/rest pointed at it) and discord.js
/// 14.28.1, two shards. Both reach ready with every guild and live events, then resume after an injected op 7.
/// </summary>
public sealed class SimulatorInteropTests
{
    private const int LiveEvents = 5;

    [Theory]
    [InlineData("ws")]
    [InlineData("discord.js")]
    public async Task Real_client_gets_every_guild_live_events_and_resumes_after_op_7(string client)
    {
        await using var simulator = await DiscordSimulator.StartAsync(new SimulatorOptions
        {
            ShardCount = 2,
            GuildCount = 6,
            MembersPerGuild = 30,
            EventsPerSecond = 20,
            MaxConcurrency = 2,
            HeartbeatIntervalMs = 5000,
            HeartbeatTimeoutFactor = 3,
        });
        var guildsPerShard = string.Join(',', Enumerable.Range(0, 2).Select(s => simulator.State.GetGuildIds(s).Count.ToString(CultureInfo.InvariantCulture)));
        await using var script = NodeScript.Start("simulator-clients.mjs",
            "--client", client,
            "--api", $"http://127.0.0.1:{simulator.Port}/api",
            "--token", simulator.Options.Token,
            "--shards", "2",
            "--guilds-per-shard", guildsPerShard,
            "--live-events", LiveEvents.ToString(CultureInfo.InvariantCulture),
            "--timeout-ms", "90000");

        var first = await ReadJsonAsync(script);
        Assert.True(first.GetProperty("phase").GetString() == "ready", $"script did not get ready: {first}\n{script.StandardError}");
        await simulator.SendReconnectAsync(0);
        await simulator.SendReconnectAsync(1);

        var result = await ReadJsonAsync(script);
        Assert.Equal("result", result.GetProperty("phase").GetString());
        Assert.True(result.GetProperty("ok").GetBoolean(), $"script failed: {result}\n{script.StandardError}");

        foreach (var shard in result.GetProperty("shards").EnumerateArray())
        {
            var id = shard.GetProperty("shard").GetInt32();
            var guilds = shard.GetProperty("guilds").EnumerateArray().Select(g => g.GetString()).Order().ToList();
            Assert.Equal(simulator.State.GetGuildIds(id).Order(), guilds);
            Assert.True(shard.GetProperty("liveEvents").GetInt32() >= 2 * LiveEvents);
            Assert.True(shard.GetProperty("resumed").GetBoolean());
            Assert.True(shard.GetProperty("eventsAfterResume").GetInt32() >= LiveEvents);
            Assert.Equal(0, shard.GetProperty("seqProblems").GetInt32());
            Assert.Equal(1, shard.GetProperty("identifies").GetInt32());

            // The client's session is the one the simulator sequenced, and its last seq is one the simulator sent.
            var sessionId = shard.GetProperty("sessionId").GetString();
            var sent = simulator.GetSentDispatches(id).Where(d => d.SessionId == sessionId).ToList();
            Assert.Contains(sent, d => d.Seq == shard.GetProperty("lastSeq").GetInt64());
        }

        Assert.Equal(2, simulator.IdentifyCount);
        Assert.True(simulator.ResumeCount >= 2);
        Assert.DoesNotContain(simulator.GetReceivedCommands(), c => c.Op == -1);
    }

    private static async Task<JsonElement> ReadJsonAsync(NodeScript script)
    {
        var line = await script.ReadLineAsync(TimeSpan.FromSeconds(120));
        Assert.True(line is not null, "the node script ended without a line; stderr:\n" + script.StandardError);
        using var doc = JsonDocument.Parse(line!);
        return doc.RootElement.Clone();
    }
}
