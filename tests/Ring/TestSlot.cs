using GatewayProxy.Ring;

namespace GatewayProxy.Tests.Ring;

/// <summary>A slot as the proxy shapes it: a payload buffer plus metadata (sequence, value, checksum).</summary>
internal sealed class TestSlot
{
    public readonly SlotBuffer Payload;
    public long Sequence = -1;
    public long Value;
    public ulong Checksum;

    public TestSlot(int inlineCapacity = 64) => Payload = new SlotBuffer(inlineCapacity);

    /// <summary>The value a test producer writes for a sequence (not the sequence itself, so a stale slot differs).</summary>
    public static long ValueFor(long sequence) => sequence * 31 + 7;

    /// <summary>FNV-1a over the bytes.</summary>
    public static ulong Fnv(ReadOnlySpan<byte> bytes)
    {
        ulong hash = 14695981039346656037UL;
        foreach (byte b in bytes) hash = (hash ^ b) * 1099511628211UL;
        return hash;
    }

    /// <summary>Deterministic payload bytes for a sequence (length varies, some beyond the inline capacity).</summary>
    public static byte[] PayloadFor(long sequence)
    {
        int length = 1 + (int)((sequence * 2654435761L) & 0xFF) + (sequence % 7 == 0 ? 200 : 0);
        var bytes = new byte[length];
        ulong x = (ulong)sequence * 0x9E3779B97F4A7C15UL + 1;
        for (int i = 0; i < length; i++)
        {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            bytes[i] = (byte)x;
        }
        return bytes;
    }
}
