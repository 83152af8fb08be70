using GatewayProxy.Tests.Ingress.Support;
using GatewayProxy.Ingress;
using GatewayProxy.Ingress.Identify;
using GatewayProxy.Simulator;
using GatewayProxy.Tests.Support;
using Xunit;

namespace GatewayProxy.Tests.Ingress.Identify;

/// <summary>A gateway that times IDENTIFYs late refuses one sent a margin too early; the proxy widens that bucket so no
/// shard is refused twice. The proxy's identify queue and the Simulator's limits share one manual clock, moved only when
/// every IDENTIFY sent has arrived and every refusal has reached the queue: nothing here depends on wall-clock timing.</summary>
public sealed class IdentifyRefusalTests
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan Margin = TimeSpan.FromMilliseconds(500);
    private static readonly TimeSpan StampDelay = TimeSpan.FromMilliseconds(1500);

    [Fact]
    public async Task An_op_9_after_an_identify_widens_its_bucket_and_no_shard_is_refused_twice()
    {
        const int Shards = 5;
        var clock = new ManualTimeProvider();
        SimulatorOptions sim = IngressTestKit.SimulatorDefaults(shards: Shards, guilds: Shards);
        sim.MaxConcurrency = 1;
        sim.IdentifyInterval = Interval;
        sim.IdentifyStampDelay = StampDelay; // more than the proxy's margin: its first same-bucket IDENTIFY is refused
        sim.Clock = clock;
        await using IngressTestKit kit = await IngressTestKit.StartAsync(sim, s =>
        {
            IngressOptions options = IngressTestKit.OptionsFor(s);
            options.IdentifyInterval = Interval;
            options.IdentifyMargin = Margin;
            options.IdentifyClock = clock;
            return options;
        });
        var queue = Assert.IsType<IdentifyQueue>(kit.Manager.IdentifyQueue);

        await Poll.UntilAsync(
            () =>
            {
                if (kit.Manager.Shards.All(s => s.IsReady))
                {
                    return true;
                }

                IReadOnlyList<IdentifyRecord> attempts = kit.Simulator.GetIdentifyAttempts();
                bool settled = attempts.Count == queue.SentCount && attempts.Count(a => !a.Accepted) == queue.RefusedCount;
                if (settled && clock.UntilNextTimer is TimeSpan next)
                {
                    clock.Advance(next); // the bucket's next IDENTIFY is due
                }

                return false;
            },
            TimeSpan.FromSeconds(60),
            () => $"every shard ready ({string.Join(", ", kit.Manager.Shards.Select(s => $"{s.Id}: {s.Status}"))}; "
                + $"{queue.SentCount} IDENTIFYs sent, {kit.Simulator.GetIdentifyAttempts().Count} arrived, {queue.RefusedCount} refusals seen)");

        IReadOnlyList<IdentifyRecord> identifies = kit.Simulator.GetIdentifyAttempts();
        Assert.Contains(identifies, a => !a.Accepted);
        foreach (IGrouping<int, IdentifyRecord> shard in identifies.GroupBy(a => a.Shard))
        {
            Assert.True(shard.Count(a => !a.Accepted) <= 1, $"shard {shard.Key} was refused {shard.Count(a => !a.Accepted)} times: {string.Join("; ", shard.Select(a => a.Refusal))}");
            Assert.Equal(1, shard.Count(a => a.Accepted));
        }

        Assert.Equal(Shards, identifies.Count(a => a.Accepted));
        Assert.Equal(identifies.Count(a => !a.Accepted), kit.Simulator.IdentifyRateLimitViolations);
        Assert.True(queue.SpacingOf(0) > Interval + Margin, $"the bucket's spacing is still {queue.SpacingOf(0)}");
    }
}
