using GatewayProxy.Tests.Ingress.Support;
using GatewayProxy.Ingress.Identify;
using GatewayProxy.Ingress.Rest;
using Xunit;

namespace GatewayProxy.Tests.Ingress.Identify;

public sealed class IdentifyQueueTests
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(5);

    private static readonly TimeSpan Margin = TimeSpan.FromMilliseconds(250);

    // What the queue actually spaces a bucket's IDENTIFYs by: Discord's interval plus the margin for its clock and queue.
    private static readonly TimeSpan Spacing = Interval + Margin;

    [Fact]
    public async Task Each_bucket_identifies_once_per_interval_counted_from_the_end_of_the_previous_turn()
    {
        var time = new ManualTimeProvider();
        var queue = new IdentifyQueue(new SessionStartLimit(1000, 1000, TimeSpan.FromHours(1), MaxConcurrency: 2), Interval, Margin, time);

        IdentifyTurn shard0 = await queue.WaitTurnAsync(0, CancellationToken.None);
        IdentifyTurn shard1 = await queue.WaitTurnAsync(1, CancellationToken.None); // another bucket: not held up by shard 0
        Task<IdentifyTurn> shard2 = queue.WaitTurnAsync(2, CancellationToken.None).AsTask();
        Task<IdentifyTurn> shard4 = queue.WaitTurnAsync(4, CancellationToken.None).AsTask();
        Assert.False(shard2.IsCompleted, "bucket 0 is busy until shard 0's turn ends");

        time.Advance(TimeSpan.FromSeconds(3)); // time spent connecting does not count
        shard0.Dispose();
        shard1.Dispose();
        await WaitForTimerAsync(time);
        time.Advance(Spacing - TimeSpan.FromTicks(1));
        Assert.False(shard2.IsCompleted, "one tick before the interval (and its margin) ends");
        time.Advance(TimeSpan.FromTicks(1));
        (await shard2.WaitAsync(TimeSpan.FromSeconds(30))).Dispose();

        Assert.False(shard4.IsCompleted, "shard 4 queues behind shard 2 (first come, first served)");
        await WaitForTimerAsync(time);
        time.Advance(Spacing);
        (await shard4.WaitAsync(TimeSpan.FromSeconds(30))).Dispose();
    }

    [Theory]
    [InlineData(1000, 5000, 2500)] // at least half the interval
    [InlineData(2000, 5000, 4000)] // else doubled
    [InlineData(4000, 5000, 8000)]
    [InlineData(8000, 5000, 10000)] // at most twice the interval
    [InlineData(0, 5000, 2500)]
    [InlineData(0, 0, 0)]
    public void A_refusal_doubles_the_margin_to_at_least_half_and_at_most_twice_the_interval(int marginMs, int intervalMs, int widenedMs) =>
        Assert.Equal(TimeSpan.FromMilliseconds(widenedMs), IdentifyQueue.WidenedMargin(TimeSpan.FromMilliseconds(marginMs), TimeSpan.FromMilliseconds(intervalMs)));

    [Fact]
    public void The_default_margin_is_one_second()
    {
        var queue = new IdentifyQueue(new SessionStartLimit(1000, 1000, TimeSpan.FromHours(1), 1), Interval, time: new ManualTimeProvider());
        Assert.Equal(Interval + TimeSpan.FromSeconds(1), queue.SpacingOf(0));
    }

    [Fact]
    public async Task An_exhausted_session_start_limit_waits_for_its_reset()
    {
        var time = new ManualTimeProvider();
        var queue = new IdentifyQueue(new SessionStartLimit(Total: 5, Remaining: 1, ResetAfter: TimeSpan.FromMinutes(10), MaxConcurrency: 1), TimeSpan.Zero, TimeSpan.Zero, time);

        (await queue.WaitTurnAsync(0, CancellationToken.None)).Dispose();
        Assert.Equal(0, queue.Remaining);
        Task<IdentifyTurn> next = queue.WaitTurnAsync(1, CancellationToken.None).AsTask();
        await WaitForTimerAsync(time);
        time.Advance(TimeSpan.FromMinutes(10) - TimeSpan.FromSeconds(1));
        Assert.False(next.IsCompleted, "the budget resets after reset_after");
        time.Advance(TimeSpan.FromSeconds(1));
        (await next.WaitAsync(TimeSpan.FromSeconds(30))).Dispose();
        Assert.Equal(4, queue.Remaining);
    }

    [Fact]
    public async Task A_cancelled_waiter_gives_its_place_to_the_next()
    {
        var time = new ManualTimeProvider();
        var queue = new IdentifyQueue(new SessionStartLimit(1000, 1000, TimeSpan.FromHours(1), 1), Interval, Margin, time);
        IdentifyTurn first = await queue.WaitTurnAsync(0, CancellationToken.None);
        using var cts = new CancellationTokenSource();
        Task<IdentifyTurn> cancelled = queue.WaitTurnAsync(1, cts.Token).AsTask();
        Task<IdentifyTurn> third = queue.WaitTurnAsync(2, CancellationToken.None).AsTask();
        await cts.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelled);
        first.Dispose();
        await WaitForTimerAsync(time);
        time.Advance(Spacing);
        (await third.WaitAsync(TimeSpan.FromSeconds(30))).Dispose();
    }

    /// <summary>The waiter registers its delay asynchronously after a turn ends; wait (bounded) until it has.</summary>
    private static async Task WaitForTimerAsync(ManualTimeProvider time) =>
        await IngressTestKit.WaitUntilAsync(() => time.PendingTimers > 0, () => "the queue never started its interval timer");
}
