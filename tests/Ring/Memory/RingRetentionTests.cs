using GatewayProxy.Ring;
using GatewayProxy.Ring.Memory;
using GatewayProxy.Tests.Ingress.Support;
using Xunit;

namespace GatewayProxy.Tests.Ring.Memory;

/// <summary>Retention (docs/architecture.md, "Ring memory"): an event stays while it is among the ring's last Size and
/// either a live reader has not passed it or it is younger than the retention age and after the oldest session's start;
/// then its blocks go back to the pool.</summary>
public sealed class RingRetentionTests
{
    private static readonly TimeSpan Hour = TimeSpan.FromHours(1);

    [Fact]
    public void Events_older_than_the_last_ring_size_are_trimmed_and_their_blocks_reused()
    {
        var kit = new PayloadRingKit(Hour);
        using PayloadRing<TestMeta> ring = kit.NewRing(size: 16);
        for (int i = 0; i < 400; i++) PayloadRingKit.Publish(ring, 10_000);

        kit.Tick(TimeSpan.FromSeconds(1));
        long cursor = ring.Cursor;
        Assert.Equal(cursor - 15, ring.OldestRetained);
        Assert.Equal(cursor - 15, ring.OldestAvailable);
        Assert.True(ring.IsOverrun(cursor - 16));
        for (long seq = cursor - 15; seq <= cursor; seq++) Assert.True(PayloadRingKit.ReadsBack(ring, seq, 10_000));
        // 16 × 10 KB spans at most 4 blocks: everything older went back to the pool and was rented again.
        Assert.InRange(ring.BlockCount, 3, 4);
        Assert.Equal(ring.BlockCount * (long)PayloadRingKit.Block, ring.HeldBytes);
        Assert.InRange(kit.Pool.Allocated, ring.BlockCount, 8); // 400 × 10 KB would be 62 blocks without reuse
    }

    [Fact]
    public void Events_every_reader_passed_are_kept_for_the_retention_age_then_trimmed()
    {
        var kit = new PayloadRingKit(TimeSpan.FromSeconds(120));
        using PayloadRing<TestMeta> ring = kit.NewRing();
        for (int i = 0; i < 100; i++) PayloadRingKit.Publish(ring, 1_000); // t = 0: two blocks
        kit.Tick(TimeSpan.FromSeconds(60));
        for (int i = 0; i < 100; i++) PayloadRingKit.Publish(ring, 1_000); // t = 60
        Assert.Equal(4, ring.BlockCount);

        kit.Tick(TimeSpan.FromSeconds(59)); // t = 119: nothing is 120 s old yet
        Assert.Equal(0, ring.OldestRetained);
        Assert.True(PayloadRingKit.ReadsBack(ring, 0, 1_000));

        kit.Tick(TimeSpan.FromSeconds(2)); // t = 121: the first hundred are older than 120 s
        Assert.Equal(100, ring.OldestRetained);
        Assert.True(ring.IsOverrun(99));
        Assert.True(PayloadRingKit.ReadsBack(ring, 100, 1_000));
        Assert.Equal(3, ring.BlockCount); // the block shared by events 64..127 stays for its younger half

        kit.Tick(TimeSpan.FromSeconds(60)); // t = 181: all of them
        Assert.Equal(200, ring.OldestRetained);
        Assert.Equal(ring.Cursor + 1, ring.OldestAvailable);
        Assert.Equal(1, ring.BlockCount); // the writer's current block
        Assert.Equal(PayloadRingKit.Block, ring.HeldBytes);
        Assert.Equal(PayloadRingKit.Block, kit.Memory.HeldBytes);
    }

    [Fact]
    public void The_age_rule_keeps_only_what_follows_the_oldest_session_start()
    {
        var kit = new PayloadRingKit(TimeSpan.FromSeconds(120), ageFollowsSessions: true);
        using PayloadRing<TestMeta> ring = kit.NewRing();
        using GatingReader cache = ring.AddGatingReader(-1);
        for (int i = 0; i < 100; i++) PayloadRingKit.Publish(ring, 1_000); // a start-up burst, before any client
        kit.Tick(TimeSpan.FromSeconds(1));
        Assert.Equal(0, ring.OldestRetained); // the cache has not applied it yet

        cache.Advance(99);
        kit.Tick(TimeSpan.FromSeconds(1));
        Assert.Equal(100, ring.OldestRetained); // no session can resume into it: freed well inside the age

        RetentionPin first = ring.Pin(99); // a session whose snapshot was taken after the burst
        for (int i = 0; i < 50; i++) PayloadRingKit.Publish(ring, 1_000);
        RetentionPin second = ring.Pin(149);
        for (int i = 0; i < 50; i++) PayloadRingKit.Publish(ring, 1_000);
        cache.Advance(199);
        kit.Tick(TimeSpan.FromSeconds(1));
        Assert.Equal(100, ring.OldestRetained); // after the first session's start, kept for the age
        Assert.True(PayloadRingKit.ReadsBack(ring, 100, 1_000));

        first.Dispose(); // that session ended: the second one's start bounds the age rule now
        kit.Tick(TimeSpan.FromSeconds(1));
        Assert.Equal(150, ring.OldestRetained);
        Assert.True(PayloadRingKit.ReadsBack(ring, 150, 1_000));

        kit.Tick(TimeSpan.FromSeconds(120)); // and the age still applies after it
        Assert.Equal(200, ring.OldestRetained);
        second.Dispose();
    }

    [Fact]
    public void A_live_reader_keeps_what_it_has_not_read_past_the_retention_age()
    {
        var kit = new PayloadRingKit(TimeSpan.FromSeconds(10));
        using PayloadRing<TestMeta> ring = kit.NewRing();
        using RingReader reader = ring.AddReader(-1);
        for (int i = 0; i < 50; i++) PayloadRingKit.Publish(ring, 3_000);
        reader.Advance(19);

        kit.Tick(TimeSpan.FromMinutes(5));
        Assert.Equal(20, ring.OldestRetained);
        Assert.Equal(RingReadStatus.Ready, reader.Poll(64, out long first, out long last));
        Assert.Equal((20L, 49L), (first, last));
        for (long seq = first; seq <= last; seq++) Assert.True(PayloadRingKit.ReadsBack(ring, seq, 3_000));

        reader.Advance(last);
        kit.Tick(TimeSpan.FromSeconds(1));
        Assert.Equal(50, ring.OldestRetained);
        Assert.Equal(1, ring.BlockCount);
    }

    [Fact]
    public void A_disposed_reader_stops_keeping_events()
    {
        var kit = new PayloadRingKit(TimeSpan.FromSeconds(10));
        using PayloadRing<TestMeta> ring = kit.NewRing();
        RingReader reader = ring.AddReader(-1);
        for (int i = 0; i < 50; i++) PayloadRingKit.Publish(ring, 3_000);
        kit.Tick(TimeSpan.FromMinutes(5));
        Assert.Equal(0, ring.OldestRetained);

        reader.Dispose();
        kit.Tick(TimeSpan.FromSeconds(1));
        Assert.Equal(50, ring.OldestRetained);
    }

    [Fact]
    public void The_cache_updater_gates_retention_and_a_hold_cannot_start_behind_the_floor()
    {
        var kit = new PayloadRingKit(TimeSpan.FromSeconds(10));
        using PayloadRing<TestMeta> ring = kit.NewRing(size: 64);
        using GatingReader cache = ring.AddGatingReader(-1);
        for (int i = 0; i < 40; i++) PayloadRingKit.Publish(ring, 2_000);
        kit.Tick(TimeSpan.FromMinutes(5));
        Assert.Equal(0, ring.OldestRetained); // nothing applied yet: nothing trimmed

        cache.Advance(29);
        kit.Tick(TimeSpan.FromSeconds(1));
        Assert.Equal(30, ring.OldestRetained);
        Assert.Throws<ArgumentOutOfRangeException>(() => ring.AddGatingReader(20)); // its next event is trimmed
        using GatingReader hold = ring.AddGatingReader(29);
        Assert.Equal(29, hold.Position);
    }

    [Fact]
    public void One_timer_trims_every_quiet_ring_of_the_process()
    {
        var time = new ManualTimeProvider();
        var memory = new RingMemory(RingMemory.Unlimited, TimeSpan.FromMilliseconds(500), time, new SegmentPool(PayloadRingKit.Block, 8));
        var rings = new PayloadRing<TestMeta>[3];
        for (int r = 0; r < rings.Length; r++)
        {
            rings[r] = new PayloadRing<TestMeta>(64, memory);
            for (int i = 0; i < 5; i++) PayloadRingKit.Publish(rings[r], 100);
        }

        Assert.Equal(1, time.PendingTimers);
        time.Advance(RingMemory.DefaultTickPeriod); // the rings publish nothing more: only the timer can trim them
        foreach (PayloadRing<TestMeta> ring in rings) Assert.Equal(5, ring.OldestRetained);

        foreach (PayloadRing<TestMeta> ring in rings) ring.Dispose();
        Assert.Equal(0, time.PendingTimers);
        Assert.Equal(0, memory.HeldBytes);
        memory.Dispose();
    }
}
