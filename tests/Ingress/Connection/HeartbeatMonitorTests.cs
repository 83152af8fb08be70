using GatewayProxy.Ingress.Connection;
using Xunit;

namespace GatewayProxy.Tests.Ingress.Connection;

public sealed class HeartbeatMonitorTests
{
    [Fact]
    public void A_beat_without_ack_before_the_next_one_is_a_zombie()
    {
        var monitor = new HeartbeatMonitor(TimeSpan.FromSeconds(41.25));
        Assert.True(monitor.TryBeginBeat());
        Assert.True(monitor.AwaitingAck);
        Assert.False(monitor.TryBeginBeat());
    }

    [Fact]
    public void An_ack_measures_the_round_trip_and_allows_the_next_beat()
    {
        var monitor = new HeartbeatMonitor(TimeSpan.FromSeconds(1));
        Assert.Null(monitor.Latency);
        Assert.True(monitor.TryBeginBeat());
        TimeSpan? rtt = monitor.OnAck();
        Assert.NotNull(rtt);
        Assert.True(rtt >= TimeSpan.Zero);
        Assert.Equal(rtt, monitor.Latency);
        Assert.True(monitor.TryBeginBeat());
    }

    [Fact]
    public void An_unexpected_ack_is_ignored()
    {
        var monitor = new HeartbeatMonitor(TimeSpan.FromSeconds(1));
        Assert.Null(monitor.OnAck());
        Assert.Null(monitor.Latency);
    }

    [Fact]
    public void The_first_beat_comes_within_one_interval()
    {
        var monitor = new HeartbeatMonitor(TimeSpan.FromSeconds(10));
        var random = new Random(3);
        for (int i = 0; i < 100; i++)
        {
            TimeSpan first = monitor.FirstDelay(random);
            Assert.InRange(first, TimeSpan.Zero, TimeSpan.FromSeconds(10));
        }
    }
}
