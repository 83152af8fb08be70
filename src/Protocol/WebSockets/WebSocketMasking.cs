using System.Buffers.Binary;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace GatewayProxy.Protocol.WebSockets;

/// <summary>
/// RFC 6455 masking: payload byte i is XORed with key byte (i mod 4). A key is a <see cref="uint"/> whose
/// big-endian bytes are the four key bytes as they appear on the wire.
/// </summary>
public static class WebSocketMasking
{
    /// <summary>XORs <paramref name="data"/> in place; <paramref name="offset"/> is the position of data[0] within the masked payload (for split buffers).</summary>
    public static void Mask(Span<byte> data, uint maskKey, int offset = 0) => MaskCopy(data, data, maskKey, offset);

    /// <summary>
    /// Writes <paramref name="source"/> XOR mask into <paramref name="destination"/> in one pass (unmasking is the same operation);
    /// <paramref name="offset"/> is the position of source[0] within the masked payload. Source and destination may be the same span.
    /// </summary>
    public static void MaskCopy(ReadOnlySpan<byte> source, Span<byte> destination, uint maskKey, int offset = 0)
    {
        if (destination.Length < source.Length)
        {
            ThrowDestinationTooShort();
        }

        // Rotate so that key byte (offset mod 4) lines up with source[0]; then every block starts key-aligned.
        uint wireKey = BitOperations.RotateLeft(maskKey, (offset & 3) * 8);
        // Native-order word whose in-memory bytes equal the wire-order key bytes.
        uint memKey = BitConverter.IsLittleEndian ? BinaryPrimitives.ReverseEndianness(wireKey) : wireKey;

        ref byte src = ref MemoryMarshal.GetReference(source);
        ref byte dst = ref MemoryMarshal.GetReference(destination);
        nuint length = (nuint)source.Length;
        nuint i = 0;

        if (Vector256.IsHardwareAccelerated && length >= (nuint)Vector256<byte>.Count)
        {
            Vector256<byte> mask = Vector256.Create(memKey).AsByte();
            nuint last = length - (nuint)Vector256<byte>.Count;
            for (; i <= last; i += (nuint)Vector256<byte>.Count)
            {
                (Vector256.LoadUnsafe(ref src, i) ^ mask).StoreUnsafe(ref dst, i);
            }
        }

        if (Vector128.IsHardwareAccelerated && length - i >= (nuint)Vector128<byte>.Count)
        {
            Vector128<byte> mask = Vector128.Create(memKey).AsByte();
            nuint last = length - (nuint)Vector128<byte>.Count;
            for (; i <= last; i += (nuint)Vector128<byte>.Count)
            {
                (Vector128.LoadUnsafe(ref src, i) ^ mask).StoreUnsafe(ref dst, i);
            }
        }

        ulong mask64 = ((ulong)memKey << 32) | memKey;
        for (; i + 8 <= length; i += 8)
        {
            ulong value = Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref src, i));
            Unsafe.WriteUnaligned(ref Unsafe.Add(ref dst, i), value ^ mask64);
        }

        // Every block above is a multiple of 4 bytes, so the tail starts key-aligned.
        for (; i < length; i++)
        {
            byte keyByte = (byte)(wireKey >> (24 - (8 * (int)(i & 3))));
            Unsafe.Add(ref dst, i) = (byte)(Unsafe.Add(ref src, i) ^ keyByte);
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ThrowDestinationTooShort() =>
        throw new ArgumentException("Destination is shorter than source.", "destination");
}
