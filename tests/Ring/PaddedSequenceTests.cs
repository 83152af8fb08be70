using System.Runtime.CompilerServices;
using GatewayProxy.Ring;
using Xunit;

namespace GatewayProxy.Tests.Ring;

public class PaddedSequenceTests
{
    [Fact]
    public void Value_sits_between_two_56_byte_pads()
    {
        Assert.Equal(56 + 8 + 56, Unsafe.SizeOf<PaddedSequence>());
        var sequence = new PaddedSequence(42);
        ref byte start = ref Unsafe.As<PaddedSequence, byte>(ref sequence);
        ref byte value = ref Unsafe.As<long, byte>(ref sequence.Raw);
        Assert.Equal(56, (int)Unsafe.ByteOffset(ref start, ref value));
        Assert.Equal(56, Unsafe.SizeOf<PaddedSequence>() - (int)Unsafe.ByteOffset(ref start, ref value) - sizeof(long));
        Assert.Equal(42, sequence.Value);
    }

    [Fact]
    public void Padded_sequences_in_an_array_never_share_a_cache_line()
    {
        var sequences = new PaddedSequence[3];
        for (int i = 1; i < sequences.Length; i++)
        {
            long distance = Unsafe.ByteOffset(ref sequences[i - 1].Raw, ref sequences[i].Raw);
            Assert.True(distance >= 64, $"values {distance} bytes apart");
        }
    }
}
