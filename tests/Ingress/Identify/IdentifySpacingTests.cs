using GatewayProxy.Tests.Ingress.Support;
using GatewayProxy.Ingress.Identify;
using GatewayProxy.Ingress.Rest;
using GatewayProxy.Tests.Support;
using Xunit;

namespace GatewayProxy.Tests.Ingress.Identify;

/// <summary>The identify queue's spacing holds at the send, whatever stalls the shards between grant and send, and
/// widens after a refusal.</summary>
public sealed class IdentifySpacingTests
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan Margin = TimeSpan.FromMilliseconds(500);

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public async Task Every_same_bucket_gap_measured_at_the_send_is_at_least_the_spacing_however_long_shards_stall(int seed)
    {
        const int Shards = 12;
        const int Buckets = 2;
        var time = new ManualTimeProvider();
        var queue = new IdentifyQueue(new SessionStartLimit(1000, 1000, TimeSpan.FromHours(1), MaxConcurrency: Buckets), Interval, Margin, time);
        var random = new Random(seed);
        var turns = new Task<IdentifyTurn>[Shards];
        for (int shard = 0; shard < Shards; shard++)
        {
            turns[shard] = queue.WaitTurnAsync(shard, CancellationToken.None).AsTask();
        }

        // The clock only moves here: a grant is followed by a stall (a starved thread pool, a slow socket) before the
        // IDENTIFY reaches the socket, and the report of the send may lag it again; between turns the clock jumps
        // straight to the next timer, as a scheduler that wakes late would.
        var sends = new List<(int Shard, TimeSpan At)>();
        var done = new bool[Shards];
        while (sends.Count < Shards)
        {
            await Poll.UntilAsync(
                () => Array.Exists(turns, t => t.IsCompleted && !done[Array.IndexOf(turns, t)]) || time.UntilNextTimer is not null,
                TimeSpan.FromSeconds(30),
                () => $"a turn or a timer ({sends.Count} of {Shards} sent)");
            int granted = Array.FindIndex(turns, t => t.IsCompleted && !done[Array.IndexOf(turns, t)]);
            if (granted < 0)
            {
                time.Advance(time.UntilNextTimer!.Value);
                continue;
            }

            done[granted] = true;
            IdentifyTurn turn = await turns[granted];
            time.Advance(TimeSpan.FromMilliseconds(random.Next(0, 4000)));
            sends.Add((granted, time.GetElapsedTime(0)));
            time.Advance(TimeSpan.FromMilliseconds(random.Next(0, 300)));
            turn.Sent();
            turn.Dispose();
        }

        for (int bucket = 0; bucket < Buckets; bucket++)
        {
            List<TimeSpan> at = sends.Where(s => s.Shard % Buckets == bucket).Select(s => s.At).ToList();
            Assert.Equal(Shards / Buckets, at.Count);
            for (int i = 1; i < at.Count; i++)
            {
                Assert.True(at[i] - at[i - 1] >= Interval + Margin, $"bucket {bucket}: IDENTIFYs {i - 1} and {i} were sent {(at[i] - at[i - 1]).TotalMilliseconds} ms apart");
            }
        }

        Assert.Equal(Shards, queue.SentCount);
    }

    [Fact]
    public async Task A_refusal_widens_its_bucket_for_a_shard_already_waiting_and_leaves_the_others()
    {
        var time = new ManualTimeProvider();
        var queue = new IdentifyQueue(new SessionStartLimit(1000, 1000, TimeSpan.FromHours(1), MaxConcurrency: 2), Interval, Margin, time);
        IdentifyTurn first = await queue.WaitTurnAsync(0, CancellationToken.None);
        first.Sent();
        first.Dispose();
        Task<IdentifyTurn> next = queue.WaitTurnAsync(2, CancellationToken.None).AsTask();
        await Poll.UntilAsync(() => time.UntilNextTimer is not null, TimeSpan.FromSeconds(30), () => "the next shard's timer");

        queue.OnIdentifyRefused(0); // after the waiter computed its wait with the old spacing
        TimeSpan widened = Interval + IdentifyQueue.WidenedMargin(Margin, Interval);
        Assert.Equal(widened, queue.SpacingOf(2));
        Assert.Equal(Interval + Margin, queue.SpacingOf(1));
        Assert.Equal(1, queue.RefusedCount);

        time.Advance(Interval + Margin);
        await Poll.UntilAsync(() => time.UntilNextTimer is not null || next.IsCompleted, TimeSpan.FromSeconds(30), () => "the waiter to re-check its bucket");
        Assert.False(next.IsCompleted, "the old spacing passed, but the refusal widened it");
        time.Advance(widened - (Interval + Margin) - TimeSpan.FromTicks(1));
        Assert.False(next.IsCompleted, "one tick before the widened spacing");
        time.Advance(TimeSpan.FromTicks(1));
        (await next.WaitAsync(TimeSpan.FromSeconds(30))).Dispose();
    }

    [Fact]
    public async Task A_turn_ended_without_a_send_still_spaces_the_next_from_its_end()
    {
        var time = new ManualTimeProvider();
        var queue = new IdentifyQueue(new SessionStartLimit(1000, 1000, TimeSpan.FromHours(1), MaxConcurrency: 1), Interval, Margin, time);
        IdentifyTurn first = await queue.WaitTurnAsync(0, CancellationToken.None);
        Task<IdentifyTurn> next = queue.WaitTurnAsync(1, CancellationToken.None).AsTask();
        time.Advance(TimeSpan.FromSeconds(2));
        first.Dispose(); // the connection ended mid-send: the frame may have left
        await Poll.UntilAsync(() => time.UntilNextTimer is not null, TimeSpan.FromSeconds(30), () => "the next shard's timer");
        time.Advance(Interval + Margin - TimeSpan.FromTicks(1));
        Assert.False(next.IsCompleted);
        time.Advance(TimeSpan.FromTicks(1));
        (await next.WaitAsync(TimeSpan.FromSeconds(30))).Dispose();
        Assert.Equal(0, queue.SentCount);
    }
}
