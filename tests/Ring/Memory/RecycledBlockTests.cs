using GatewayProxy.Ring;
using GatewayProxy.Ring.Memory;
using Xunit;

namespace GatewayProxy.Tests.Ring.Memory;

/// <summary>A block trimmed from one ring and rewritten by another while a reader of the first still reads it: the
/// reader's validation must fail (the floor is published before the block is recycled), never pass.</summary>
/// <remarks>The interleaving is forced step by step on one thread: the reader takes its span, the trim and the other
/// ring's write happen, then the reader copies and validates. No timing is involved.</remarks>
public sealed class RecycledBlockTests
{
    private const int Payload = 20_000;

    [Fact]
    public void A_block_recycled_into_another_ring_while_a_reader_copies_from_it_fails_validation()
    {
        // Two blocks in all, and a pool that hands back the block returned last: the second ring gets the first ring's.
        var kit = new PayloadRingKit(TimeSpan.FromHours(1), limitBytes: 2L * PayloadRingKit.Block, poolRetained: 4);
        using PayloadRing<TestMeta> shardA = kit.NewRing(size: 64);
        using PayloadRing<TestMeta> shardB = kit.NewRing(size: 64);
        using RingReader reader = shardA.AddReader(-1);
        for (int i = 0; i < 4; i++) PayloadRingKit.Publish(shardA, Payload); // events 0..2 in block X, 3 in block Y

        // 1. The reader starts on event 0: stamp checked, span taken over block X.
        Assert.Equal(RingReadStatus.Ready, reader.Poll(1, out long seq, out _));
        ReadOnlySpan<byte> span = shardA.Read(seq, out TestMeta meta);
        Assert.Equal(0, meta.Sequence);

        // 2. Shard B needs a block at the limit: A's oldest (X) is trimmed, goes back to the pool, and B writes into it.
        long allocated = kit.Pool.Allocated;
        long written = PayloadRingKit.Publish(shardB, Payload + 8); // another length: other bytes than A's event 0
        Assert.Equal(allocated, kit.Pool.Allocated); // B got a recycled block, not a new one
        Assert.Equal(1, shardA.LimitTrims);
        Assert.Equal(3, shardA.OldestRetained);

        // 3. The reader copies: the bytes are B's now (same offset, B's record), yet event 0's stamp is unchanged.
        byte[] copied = span.ToArray();
        Assert.NotEqual(PayloadRingKit.PayloadFor(0, Payload), copied);
        Assert.Equal(PayloadRingKit.PayloadFor(written, Payload + 8).AsSpan(0, Payload).ToArray(), copied);
        Assert.Equal(seq, shardA.GetStamp(seq));

        // 4. Validation after the copy rejects it: the floor moved before X was recycled.
        Assert.False(reader.Validate(seq));
        Assert.True(reader.WasOverrun);
        Assert.True(PayloadRingKit.ReadsBack(shardB, written, Payload + 8));
    }
}
