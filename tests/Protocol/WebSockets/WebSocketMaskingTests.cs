using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using GatewayProxy.Protocol.WebSockets;

namespace GatewayProxy.Tests.Protocol.WebSockets;

public class WebSocketMaskingTests
{
    // The plain definition from RFC 6455 §5.3: byte i XOR key[(offset + i) mod 4], key bytes big-endian.
    private static byte[] Reference(byte[] data, uint key, int offset)
    {
        byte[] result = new byte[data.Length];
        for (int i = 0; i < data.Length; i++)
        {
            result[i] = (byte)(data[i] ^ (byte)(key >> (24 - (8 * ((offset + i) & 3)))));
        }

        return result;
    }

    [Property(MaxTest = 1000)]
    public bool Vectorized_mask_matches_the_bytewise_definition_at_any_offset(byte[] data, uint key, NonNegativeInt offset)
    {
        byte[] masked = (byte[])data.Clone();
        WebSocketMasking.Mask(masked, key, offset.Get);
        byte[] copied = new byte[data.Length];
        WebSocketMasking.MaskCopy(data, copied, key, offset.Get);
        return masked.AsSpan().SequenceEqual(Reference(data, key, offset.Get)) && copied.AsSpan().SequenceEqual(masked);
    }

    [Property(MaxTest = 1000)]
    public Property Masking_a_buffer_in_two_pieces_equals_masking_it_whole(uint key, NonNegativeInt sizeSeed, NonNegativeInt cutSeed)
    {
        int size = sizeSeed.Get % 300;
        int cut = size == 0 ? 0 : cutSeed.Get % (size + 1);
        byte[] data = new byte[size];
        new Random(size * 31 + cut).NextBytes(data);
        byte[] whole = (byte[])data.Clone();
        WebSocketMasking.Mask(whole, key);
        byte[] pieces = (byte[])data.Clone();
        WebSocketMasking.Mask(pieces.AsSpan(0, cut), key, 0);
        WebSocketMasking.Mask(pieces.AsSpan(cut), key, cut);
        byte[] twice = (byte[])whole.Clone();
        WebSocketMasking.Mask(twice, key);
        return (whole.AsSpan().SequenceEqual(pieces) && twice.AsSpan().SequenceEqual(data)).Label($"size {size}, cut {cut}");
    }
}
