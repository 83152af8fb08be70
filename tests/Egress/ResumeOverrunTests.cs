using System.Globalization;
using System.Text.Json;
using GatewayProxy.Egress.Metrics;
using GatewayProxy.Egress.Relay;
using GatewayProxy.Tests.Egress.Support;
using GatewayProxy.Tests.Support;
using Xunit;

namespace GatewayProxy.Tests.Egress;

/// <summary>A RESUME whose replay is overrun before RESUMED: the client is told INVALID_SESSION d:false (so it
/// identifies instead of resuming into the same hole), delivered before the close.</summary>
public sealed class ResumeOverrunTests
{
    private const int RingSize = 1024;
    // More than one relay batch, so the replay cannot be written in a single pass.
    private const int Gap = EgressWorker.MaxBatch + 44;
    // 256 × 48 KiB ≈ 12 MiB per batch: far more than socket buffers and the pipe's pause threshold hold, so the proxy's
    // output stays backed up while the client does not read.
    private const int Padding = 48 * 1024;
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Resume_whose_replay_is_overrun_partway_gets_invalid_session_false_delivered_then_a_close()
    {
        await using EgressTestServer server = EgressTestServer.Start(o =>
        {
            o.Backpressure = 1_000_000; // never cut for lag: only the overrun may end this replay
            o.SnapshotHold = TimeSpan.Zero; // the producer is not held for the replay, so it can overrun it
            o.CloseTimeout = Limit; // the test reads the whole backlog before the close frame
        }, ringSize: RingSize);
        IdentifiedTestClient first = await server.IdentifyAsync();
        server.Feed.Publish("MESSAGE_CREATE", TestShardFeed.EventData(0));
        await first.Client.ReceiveAsync();
        long lastSeq = first.Client.LastSeq!.Value;
        first.Client.Abort();
        await first.DisposeAsync();

        // The gap the RESUME must replay: still in the ring (Gap < RingSize), so the RESUME is accepted.
        for (int k = 1; k <= Gap; k++) server.Feed.Publish("MESSAGE_CREATE", TestShardFeed.EventData(k, Padding));
        string resume = $$$"""{"op":6,"d":{"token":"{{{EgressTestServer.Token}}}","session_id":"{{{first.SessionId}}}","seq":{{{lastSeq.ToString(CultureInfo.InvariantCulture)}}}}}""";
        using StalledClient client = await StalledClient.ConnectAsync(server.Url, resume);
        Assert.Equal(10, Op(await client.ReadMessageAsync(Limit)));

        // The first replayed event proves the replay started; the client then stops reading with the rest queued.
        var messages = new List<string> { (await client.ReadMessageAsync(Limit))! };
        Assert.Equal(lastSeq + 1, Seq(messages[0]));

        // A ring's worth of new events overwrites the part of the gap the proxy could not send yet.
        for (int k = 0; k < RingSize; k++) server.Feed.Publish("MESSAGE_CREATE", TestShardFeed.EventData(Gap + 1 + k));

        (ushort code, string reason, _) = await client.ReadUntilCloseAsync(Limit, messages);
        Assert.Equal(4000, code);
        Assert.Contains("resume failed", reason, StringComparison.Ordinal);

        // Replayed events (contiguous, from the client's seq on), then op 9 d:false, and nothing else: no RESUMED.
        string last = messages[^1];
        Assert.Equal(9, Op(last));
        using (JsonDocument invalid = JsonDocument.Parse(last)) Assert.False(invalid.RootElement.GetProperty("d").GetBoolean());
        int replayed = messages.Count - 1;
        Assert.InRange(replayed, 1, Gap - 1);
        for (int i = 0; i < replayed; i++)
        {
            Assert.Equal(0, Op(messages[i]));
            Assert.Equal(lastSeq + 1 + i, Seq(messages[i]));
        }

        // The session is gone: resuming it again is refused.
        await using RawGatewayClient again = await server.ConnectAsync();
        await again.ResumeAsync(EgressTestServer.Token, first.SessionId, lastSeq);
        GatewayMessage refused = await again.ReceiveAsync();
        Assert.Equal((9, false), (refused.Op, refused.Data.GetBoolean()));

        // Counted as an overrun once the connection's teardown (which follows the close frame) has run.
        using var timeout = new CancellationTokenSource(Limit);
        while (server.Server.DisconnectCount(ClientDisconnectReason.Overrun) == 0)
        {
            Assert.False(timeout.IsCancellationRequested, "the disconnect was never counted as an overrun");
            await Task.Delay(10, CancellationToken.None);
        }

        Assert.Equal(1, server.Server.DisconnectCount(ClientDisconnectReason.Overrun));
    }

    private static int Op(string? json)
    {
        Assert.NotNull(json);
        using JsonDocument document = JsonDocument.Parse(json);
        return document.RootElement.GetProperty("op").GetInt32();
    }

    private static long Seq(string json)
    {
        using JsonDocument document = JsonDocument.Parse(json);
        return document.RootElement.GetProperty("s").GetInt64();
    }
}
