using GatewayProxy.Ring;
using Xunit;

namespace GatewayProxy.Tests.Ring;

public class SlotBufferTests
{
    [Fact]
    public void Writes_past_the_inline_capacity_stay_contiguous()
    {
        var buffer = new SlotBuffer(16);
        var expected = new List<byte>();
        for (int i = 0; i < 100; i++)
        {
            byte[] chunk = Enumerable.Range(i, 1 + (i % 9)).Select(v => (byte)v).ToArray();
            buffer.Write(chunk);
            expected.AddRange(chunk);
        }
        Assert.True(buffer.HasOverflow);
        Assert.Equal(expected.Count, buffer.WrittenCount);
        Assert.Equal(expected.ToArray(), buffer.WrittenSpan.ToArray());
        Assert.Equal(expected.ToArray(), buffer.WrittenMemory.ToArray());
    }

    [Fact]
    public void Reset_returns_the_overflow_and_goes_back_to_inline_capacity()
    {
        var buffer = new SlotBuffer(4096);
        byte[] big = new byte[3 * 1024 * 1024];
        new Random(1).NextBytes(big);
        buffer.Write(big);
        Assert.True(buffer.Capacity >= big.Length);
        Assert.Equal(big, buffer.WrittenSpan.ToArray());

        buffer.Reset();
        Assert.False(buffer.HasOverflow);
        Assert.Equal(4096, buffer.Capacity);
        Assert.Equal(0, buffer.WrittenCount);
        Assert.True(buffer.WrittenSpan.IsEmpty);

        buffer.Write([1, 2, 3]);
        Assert.False(buffer.HasOverflow);
        Assert.Equal(new byte[] { 1, 2, 3 }, buffer.WrittenSpan.ToArray());
    }

    [Fact]
    public void GetSpan_and_Advance_follow_the_IBufferWriter_contract()
    {
        var buffer = new SlotBuffer(8);
        Span<byte> span = buffer.GetSpan(20);
        Assert.True(span.Length >= 20);
        span[..20].Fill(9);
        buffer.Advance(20);
        Assert.Equal(20, buffer.WrittenCount);
        Assert.All(buffer.WrittenSpan.ToArray(), b => Assert.Equal(9, b));
        Assert.Throws<ArgumentOutOfRangeException>(() => buffer.Advance(buffer.Capacity));
    }
}
