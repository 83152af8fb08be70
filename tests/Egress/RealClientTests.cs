using System.Globalization;
using System.Text.Json;
using GatewayProxy.Tests.Egress.Support;
using GatewayProxy.Tests.Interop;
using Xunit;

namespace GatewayProxy.Tests.Egress;

/// <summary>Real client libraries (@discordjs/ws 2.0.4, discord.js 14.28.1) against the proxy's client side: two shards,
/// every guild, live events, then op 7 → the library closes and RESUMEs, and events continue with no sequence gap.</summary>
public sealed class RealClientTests
{
    private const int LiveEvents = 5;

    [Theory]
    [InlineData("ws")]
    [InlineData("discord.js")]
    public async Task Real_client_gets_every_guild_and_live_events_then_resumes_after_op_7(string client)
    {
        var guilds = new[] { new TestGuild(1000, false), new TestGuild(1001, false), new TestGuild(1002, false) };
        await using EgressTestServer server = EgressTestServer.Start(o => o.HeartbeatIntervalMs = 5000, total: 2, count: 2, guilds: guilds);
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        // A live stream for both shards (a load generator, not synchronization): the script waits for events.
        Task publisher = Task.Run(async () =>
        {
            for (long k = 0; !stop.IsCancellationRequested; k++)
            {
                foreach (TestShardFeed feed in server.Feeds) feed.Publish("MESSAGE_CREATE", TestShardFeed.EventData(k));
                try
                {
                    await Task.Delay(20, stop.Token);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        });

        try
        {
            await using NodeScript script = NodeScript.Start("simulator-clients.mjs",
                "--client", client,
                // The library's REST discovery (GET /gateway/bot) is answered by the proxy itself.
                "--api", new Uri(server.HttpUrl, "api").ToString(),
                "--token", EgressTestServer.Token,
                "--shards", "2",
                "--guilds-per-shard", "3,3",
                "--live-events", LiveEvents.ToString(CultureInfo.InvariantCulture),
                "--timeout-ms", "90000");

            JsonElement first = await ReadJsonAsync(script);
            Assert.True(first.GetProperty("phase").GetString() == "ready", $"script did not get ready: {first}\n{script.StandardError}");
            Assert.Equal(2, server.Server.SendReconnect());

            JsonElement result = await ReadJsonAsync(script);
            Assert.Equal("result", result.GetProperty("phase").GetString());
            Assert.True(result.GetProperty("ok").GetBoolean(), $"script failed: {result}\n{script.StandardError}");
            foreach (JsonElement shard in result.GetProperty("shards").EnumerateArray())
            {
                var ids = shard.GetProperty("guilds").EnumerateArray().Select(g => g.GetString()).Order().ToList();
                Assert.Equal(["1000", "1001", "1002"], ids);
                Assert.True(shard.GetProperty("resumed").GetBoolean());
                Assert.True(shard.GetProperty("eventsAfterResume").GetInt32() >= LiveEvents);
                Assert.Equal(0, shard.GetProperty("seqProblems").GetInt32());
                Assert.Equal(1, shard.GetProperty("identifies").GetInt32());
            }
        }
        finally
        {
            await stop.CancelAsync();
            await publisher;
        }
    }

    private static async Task<JsonElement> ReadJsonAsync(NodeScript script)
    {
        string? line = await script.ReadLineAsync(TimeSpan.FromSeconds(120));
        Assert.True(line is not null, "the node script ended without a line; stderr:\n" + script.StandardError);
        using JsonDocument document = JsonDocument.Parse(line!);
        return document.RootElement.Clone();
    }
}
