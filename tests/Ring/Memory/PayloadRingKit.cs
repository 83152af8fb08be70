using GatewayProxy.Ring;
using GatewayProxy.Ring.Memory;
using GatewayProxy.Tests.Ingress.Support;

namespace GatewayProxy.Tests.Ring.Memory;

/// <summary>The metadata test producers store beside each payload.</summary>
internal struct TestMeta
{
    public long Sequence;
    public int Length;
}

/// <summary>Payload rings over a private pool and a manual clock, so trims and block reuse happen exactly when a test says.</summary>
internal sealed class PayloadRingKit
{
    public const int Block = SegmentPool.DefaultBlockSize;

    public PayloadRingKit(TimeSpan retainFor, long limitBytes = RingMemory.Unlimited, int poolRetained = 64, bool ageFollowsSessions = false)
    {
        Pool = new SegmentPool(Block, poolRetained);
        Memory = new RingMemory(limitBytes, retainFor, Time, Pool, Timeout.InfiniteTimeSpan) { AgeFollowsSessions = ageFollowsSessions };
    }

    public ManualTimeProvider Time { get; } = new();

    public SegmentPool Pool { get; }

    public RingMemory Memory { get; }

    public PayloadRing<TestMeta> NewRing(int size = 1024) => new(size, Memory);

    /// <summary>Advances the clock and runs the trim timer's work.</summary>
    public void Tick(TimeSpan by)
    {
        Time.Advance(by);
        Memory.Tick();
    }

    /// <summary>Claims, writes <see cref="PayloadFor"/> and publishes; returns the sequence.</summary>
    public static long Publish(PayloadRing<TestMeta> ring, int length)
    {
        long seq = ring.Next();
        ring.Writer.Reset();
        Span<byte> span = ring.Writer.GetSpan(length);
        Fill(span[..length], ring.Claimed, length);
        ring.Writer.Advance(length);
        ring.Publish(seq, new TestMeta { Sequence = seq, Length = length });
        return seq;
    }

    /// <summary>The bytes <see cref="Publish"/> writes for a sequence (not the sequence's slot content, so a stale slot differs).</summary>
    public static byte[] PayloadFor(long sequence, int length)
    {
        var bytes = new byte[length];
        Fill(bytes, sequence, length);
        return bytes;
    }

    /// <summary>True when <paramref name="sequence"/> reads back exactly as published and validates.</summary>
    public static bool ReadsBack(PayloadRing<TestMeta> ring, long sequence, int length)
    {
        ReadOnlySpan<byte> payload = ring.Read(sequence, out TestMeta meta);
        bool same = meta.Sequence == sequence && meta.Length == length && payload.SequenceEqual(PayloadFor(sequence, length));
        return ring.Validate(sequence) && same;
    }

    private static void Fill(Span<byte> span, long sequence, int length)
    {
        byte seed = (byte)(sequence * 31 + length);
        for (int i = 0; i < span.Length; i++) span[i] = (byte)(seed + i * 7);
    }
}
