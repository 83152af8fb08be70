using GatewayProxy.Tests.Ingress.Support;
using GatewayProxy.Ingress.Connection;
using Xunit;

namespace GatewayProxy.Tests.Ingress.Connection;

public sealed class CommandRateLimiterTests
{
    [Fact]
    public void Commands_stop_at_the_limit_minus_the_reserve_and_resume_as_the_window_slides()
    {
        var time = new ManualTimeProvider();
        var limiter = new CommandRateLimiter(limit: 120, window: TimeSpan.FromSeconds(60), reserved: 5, time);
        for (int i = 0; i < 115; i++)
        {
            Assert.True(limiter.TryAcquireCommand(), $"command {i} refused");
            time.Advance(TimeSpan.FromMilliseconds(100));
        }

        Assert.False(limiter.TryAcquireCommand());
        Assert.Equal(115, limiter.InWindow);

        // The reserve is for the shard's own payloads: they are never refused.
        for (int i = 0; i < 5; i++)
        {
            limiter.RecordControl();
        }

        Assert.Equal(120, limiter.InWindow);

        // 60 s after the first command it leaves the window (the rest were 100 ms apart).
        time.Advance(TimeSpan.FromSeconds(60) - TimeSpan.FromMilliseconds(115 * 100));
        Assert.False(limiter.TryAcquireCommand(), "the five control payloads still count");
        time.Advance(TimeSpan.FromMilliseconds(600));
        Assert.True(limiter.TryAcquireCommand());
    }

    [Fact]
    public void Reset_starts_a_new_window_for_a_new_connection()
    {
        var time = new ManualTimeProvider();
        var limiter = new CommandRateLimiter(limit: 10, window: TimeSpan.FromSeconds(60), reserved: 2, time);
        for (int i = 0; i < 8; i++)
        {
            Assert.True(limiter.TryAcquireCommand());
        }

        Assert.False(limiter.TryAcquireCommand());
        limiter.Reset();
        Assert.True(limiter.TryAcquireCommand());
    }

    [Theory]
    [InlineData(41250, 5)]
    [InlineData(1000, 60)]
    [InlineData(20000, 6)]
    [InlineData(10, 60)]
    public void The_reserve_covers_one_window_of_heartbeats(int intervalMs, int expected)
    {
        Assert.Equal(expected, CommandRateLimiter.ReserveFor(TimeSpan.FromMilliseconds(intervalMs)));
    }
}
