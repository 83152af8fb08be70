using GatewayProxy.Ring.Memory;
using GatewayProxy.Tests.Egress.Support;
using GatewayProxy.Tests.Ingress.Support;
using GatewayProxy.Tests.Support;
using Xunit;

namespace GatewayProxy.Tests.Egress;

/// <summary>RESUME after the ring trimmed the gap by age (docs/architecture.md, "Ring memory"): a detached session is no
/// live reader, so once its events are older than the retention age they are gone, though the ring never wrapped.</summary>
public sealed class ResumeTrimmedTests
{
    private static readonly TimeSpan Ttl = TimeSpan.FromSeconds(120);

    [Fact]
    public async Task Resume_into_a_range_trimmed_by_age_gets_invalid_session_false()
    {
        var time = new ManualTimeProvider();
        using var memory = new RingMemory(RingMemory.Unlimited, Ttl, time, new SegmentPool(SegmentPool.DefaultBlockSize, 8), Timeout.InfiniteTimeSpan);
        await using EgressTestServer server = EgressTestServer.Start(ringMemory: memory);
        IdentifiedTestClient first = await server.IdentifyAsync();
        for (int k = 0; k < 5; k++) server.Feed.Publish("MESSAGE_CREATE", TestShardFeed.EventData(k));
        for (int k = 0; k < 5; k++) await first.Client.ReceiveAsync();
        long lastSeq = first.Client.LastSeq!.Value;
        first.Client.Abort();
        await first.DisposeAsync();
        for (int k = 5; k < 15; k++) server.Feed.Publish("MESSAGE_CREATE", TestShardFeed.EventData(k));

        // Past the retention age. The session's reader stops holding the ring once its socket is torn down, which
        // happens on the server's own time: trim until everything is gone.
        time.Advance(Ttl + TimeSpan.FromSeconds(1));
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (server.Feed.Ring.OldestRetained <= server.Feed.Ring.Cursor)
        {
            Assert.False(limit.IsCancellationRequested, $"the ring still holds from {server.Feed.Ring.OldestRetained}");
            memory.Tick();
            await Task.Delay(10, CancellationToken.None); // a poll interval, not a synchronization
        }

        Assert.True(server.Feed.Ring.Cursor < server.Feed.Ring.Size); // never wrapped: only the trim removed the gap
        await using RawGatewayClient client = await server.ConnectAsync();
        await client.ResumeAsync(EgressTestServer.Token, first.SessionId, lastSeq);
        GatewayMessage invalid = await client.ReceiveAsync();
        Assert.Equal((9, false), (invalid.Op, invalid.Data.GetBoolean()));
    }
}
