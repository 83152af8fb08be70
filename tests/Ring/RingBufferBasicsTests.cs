using GatewayProxy.Ring;
using Xunit;

namespace GatewayProxy.Tests.Ring;

public class RingBufferBasicsTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(3)]
    [InlineData(-8)]
    [InlineData(1000)]
    public void Size_that_is_not_a_power_of_two_is_rejected_naming_the_value(int size)
    {
        var error = Assert.Throws<ArgumentException>(() => new RingBuffer<TestSlot>(size, _ => new TestSlot()));
        Assert.Equal("size", error.ParamName);
        Assert.Contains(size.ToString(System.Globalization.CultureInfo.InvariantCulture), error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Slots_are_made_once_and_reused_for_every_lap()
    {
        int made = 0;
        var ring = new RingBuffer<TestSlot>(8, _ =>
        {
            made++;
            return new TestSlot();
        });
        Assert.Equal(8, made);
        Assert.Equal(-1, ring.Cursor);
        Assert.Same(ring[3], ring[3 + 8]);
        Assert.Same(ring[0], ring[80]);
        Assert.NotSame(ring[0], ring[1]);
    }

    [Fact]
    public void Wrap_around_keeps_order_over_many_laps()
    {
        var ring = new RingBuffer<TestSlot>(4, _ => new TestSlot());
        using GatingReader reader = ring.AddGatingReader(-1);
        long expected = 0;
        for (int lap = 0; lap < 50; lap++)
        {
            for (int i = 0; i < 3; i++)
            {
                Assert.True(ring.TryNext(out long seq));
                ring[seq].Value = TestSlot.ValueFor(seq);
                ring.Publish(seq);
            }
            while (reader.TryGetBatch(16, out long first, out long last))
            {
                Assert.True(last - first < 4);
                Assert.True((first & 3) <= (last & 3), "a batch never crosses the physical wrap");
                for (long s = first; s <= last; s++)
                {
                    Assert.Equal(expected++, s);
                    Assert.Equal(TestSlot.ValueFor(s), ring[s].Value);
                }
                reader.Advance(last);
            }
        }
        Assert.Equal(150, expected);
    }

    [Fact]
    public void Producer_cannot_claim_a_slot_a_gating_reader_still_needs()
    {
        var ring = new RingBuffer<TestSlot>(4, _ => new TestSlot());
        using GatingReader reader = ring.AddGatingReader(-1);
        for (int i = 0; i < 4; i++)
        {
            Assert.True(ring.TryNext(out long seq));
            ring.Publish(seq);
        }
        Assert.False(ring.TryNext(out _));
        reader.Advance(0);
        Assert.True(ring.TryNext(out long next));
        Assert.Equal(4, next);
        ring.Publish(next);
        Assert.False(ring.TryNext(out _));
        reader.Dispose();
        Assert.True(ring.TryNext(out _), "a reader that left no longer gates");
    }

    [Fact]
    public void Stamps_mark_writing_then_hold_the_published_sequence()
    {
        var ring = new RingBuffer<TestSlot>(4, _ => new TestSlot());
        Assert.False(ring.IsAvailable(0));
        Assert.True(ring.TryNext(out long seq));
        Assert.True(RingStamp.IsWriting(ring.GetStamp(seq)));
        Assert.Equal(seq, RingStamp.SequenceOf(ring.GetStamp(seq)));
        Assert.False(ring.IsOverrun(seq));
        ring.Publish(seq);
        Assert.Equal(seq, ring.GetStamp(seq));
        Assert.True(ring.IsAvailable(seq));
        Assert.True(ring.Validate(seq));
        for (int i = 0; i < 4; i++) ring.Publish(ring.Next());
        Assert.True(ring.IsOverrun(0));
        Assert.False(ring.Validate(0));
        Assert.Equal(4, ring.GetStamp(0));
    }

    [Fact]
    public void Publish_out_of_order_is_refused()
    {
        var ring = new RingBuffer<TestSlot>(4, _ => new TestSlot());
        Assert.True(ring.TryNext(out long a));
        Assert.True(ring.TryNext(out long b));
        Assert.Throws<InvalidOperationException>(() => ring.Publish(b));
        ring.Publish(a);
        ring.Publish(b);
        Assert.Equal(1, ring.Cursor);
        Assert.Throws<InvalidOperationException>(() => ring.Publish(2));
    }

    [Fact]
    public void Gating_reader_cannot_join_behind_overwritten_slots()
    {
        var ring = new RingBuffer<TestSlot>(4, _ => new TestSlot());
        for (int i = 0; i < 10; i++) ring.Publish(ring.Next());
        Assert.Throws<ArgumentOutOfRangeException>(() => ring.AddGatingReader(5));
        using GatingReader ok = ring.AddGatingReader(6);
        Assert.Equal(6, ok.Position);
        Assert.Equal(6, ring.MinimumGatingPosition);
    }

    [Fact]
    public void Lag_reports_distance_to_the_cursor()
    {
        var ring = new RingBuffer<TestSlot>(16, _ => new TestSlot());
        using RingReader reader = ring.AddReader(-1);
        Assert.Equal(0, reader.Lag);
        for (int i = 0; i < 10; i++) ring.Publish(ring.Next());
        Assert.Equal(10, reader.Lag);
        Assert.True(reader.IsLaggingMoreThan(9));
        Assert.False(reader.IsLaggingMoreThan(10));
        Assert.True(reader.TryGetBatch(4, out long first, out long last));
        Assert.Equal((0L, 3L), (first, last));
        Assert.True(reader.Validate(first));
        reader.Advance(last);
        Assert.Equal(6, reader.Lag);
    }

    [Fact]
    public void Non_gating_reader_behind_a_full_lap_is_told_it_was_overrun()
    {
        var ring = new RingBuffer<TestSlot>(4, _ => new TestSlot());
        using RingReader reader = ring.AddReader(-1);
        for (int i = 0; i < 6; i++) ring.Publish(ring.Next());
        Assert.Equal(RingReadStatus.Overrun, reader.Poll(8, out _, out _));
        Assert.True(reader.WasOverrun);
        Assert.False(reader.TryGetBatch(8, out _, out _));
        using RingReader late = ring.AddReader(ring.Cursor - 4);
        Assert.Equal(RingReadStatus.Ready, late.Poll(8, out long first, out long last));
        Assert.Equal((2L, 3L), (first, last));
    }
}
