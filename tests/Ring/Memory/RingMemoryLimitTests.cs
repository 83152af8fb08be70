using GatewayProxy.Ring;
using GatewayProxy.Ring.Memory;
using Xunit;

namespace GatewayProxy.Tests.Ring.Memory;

/// <summary>The process-wide limit: at it, the oldest events of the rings holding the most are trimmed first, each trim is
/// counted, gating readers are never trimmed past, and the producer never waits for a client.</summary>
public sealed class RingMemoryLimitTests
{
    private const int Block = PayloadRingKit.Block;
    private const int Payload = 20_000; // three records per 64 KiB block

    [Fact]
    public void At_the_limit_the_oldest_events_of_the_ring_holding_the_most_are_trimmed_first()
    {
        var kit = new PayloadRingKit(TimeSpan.FromHours(1), limitBytes: 6L * Block);
        using PayloadRing<TestMeta> big = kit.NewRing();
        using PayloadRing<TestMeta> small = kit.NewRing();
        using RingReader bigReader = big.AddReader(-1);
        using RingReader smallReader = small.AddReader(-1);
        for (int i = 0; i < 12; i++) PayloadRingKit.Publish(big, Payload); // 4 blocks
        for (int i = 0; i < 6; i++) PayloadRingKit.Publish(small, Payload); // 2 blocks: at the limit
        Assert.Equal((4, 2), (big.BlockCount, small.BlockCount));
        Assert.Equal(6L * Block, kit.Memory.HeldBytes);

        // The small ring needs a block: the big one gives its oldest, though both have a live reader behind.
        PayloadRingKit.Publish(small, Payload);
        Assert.Equal((3, 3), (big.BlockCount, small.BlockCount));
        Assert.Equal(3, big.OldestRetained);
        Assert.Equal(0, small.OldestRetained);
        Assert.Equal((1L, 0L, 1L), (big.LimitTrims, small.LimitTrims, kit.Memory.LimitTrims));
        Assert.Equal(6L * Block, kit.Memory.HeldBytes);

        // Now they hold the same: the next block comes from whichever is largest, ties to the first found.
        for (int i = 0; i < 6; i++) PayloadRingKit.Publish(small, Payload);
        Assert.Equal(6L * Block, kit.Memory.HeldBytes);
        Assert.True(big.LimitTrims + small.LimitTrims == kit.Memory.LimitTrims && kit.Memory.LimitTrims >= 2);
        Assert.Equal(RingReadStatus.Overrun, bigReader.Poll(16, out _, out _));
    }

    [Fact]
    public void A_gating_reader_is_never_trimmed_past_so_the_limit_yields_instead_of_blocking_the_producer()
    {
        var kit = new PayloadRingKit(TimeSpan.FromHours(1), limitBytes: 2L * Block);
        using PayloadRing<TestMeta> ring = kit.NewRing(size: 64);
        using GatingReader cache = ring.AddGatingReader(-1);
        for (int i = 0; i < 30; i++) PayloadRingKit.Publish(ring, Payload); // 10 blocks: far over the limit

        Assert.Equal(0, ring.OldestRetained);
        Assert.Equal(10L * Block, kit.Memory.HeldBytes);
        Assert.Equal(0, ring.LimitTrims);
        for (long seq = 0; seq < 30; seq++) Assert.True(PayloadRingKit.ReadsBack(ring, seq, Payload));

        // Once applied, the next block brings the ring back under the limit.
        cache.Advance(26);
        PayloadRingKit.Publish(ring, Payload);
        Assert.True(kit.Memory.HeldBytes <= 2L * Block, $"{kit.Memory.HeldBytes} bytes held");
        Assert.Equal(27, ring.OldestRetained);
    }

    [Fact]
    public void A_reader_behind_a_trim_is_told_it_was_overrun_before_and_after_copying()
    {
        var kit = new PayloadRingKit(TimeSpan.FromHours(1), limitBytes: 3L * Block);
        using PayloadRing<TestMeta> ring = kit.NewRing();
        using RingReader reader = ring.AddReader(-1);
        for (int i = 0; i < 9; i++) PayloadRingKit.Publish(ring, Payload); // 3 blocks

        // Copied before the trim, validated after it: rejected.
        Assert.Equal(RingReadStatus.Ready, reader.Poll(16, out long first, out _));
        byte[] copy = ring.Read(first, out TestMeta meta).ToArray();
        Assert.Equal(PayloadRingKit.PayloadFor(0, Payload), copy);
        PayloadRingKit.Publish(ring, Payload); // needs a fourth block: the oldest goes
        Assert.True(ring.OldestRetained > first);
        Assert.False(reader.Validate(first));
        Assert.True(reader.WasOverrun);
        Assert.Equal(0, meta.Sequence);

        // A reader joining behind the floor finds out at its first poll, before copying anything.
        using RingReader late = ring.AddReader(-1);
        Assert.True(late.IsOverrun(0));
        Assert.Equal(RingReadStatus.Overrun, late.Poll(16, out _, out _));
    }
}
