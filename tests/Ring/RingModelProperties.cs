using FsCheck.Xunit;
using GatewayProxy.Ring;
using Xunit;

namespace GatewayProxy.Tests.Ring;

/// <summary>Random interleavings of publish / read / join / leave checked against a plain queue model: the model
/// keeps every published value forever and says what each reader must see.</summary>
public class RingModelProperties
{
    private sealed class ModelReader(RingConsumer real, bool gating, long position)
    {
        public readonly RingConsumer Real = real;
        public readonly bool Gating = gating;
        public long Position = position;
        public bool Overrun;
    }

    [Property(MaxTest = 1000)]
    public void Ring_matches_a_queue_model_for_any_interleaving_of_publish_read_join_leave(byte sizeLog, byte[] script)
    {
        int size = 1 << (sizeLog % 4 + 1); // 2..16
        var ring = new RingBuffer<TestSlot>(size, _ => new TestSlot(0));
        var published = new List<long>(); // the model: the value published for each sequence
        var readers = new List<ModelReader>();
        script ??= [];

        for (int i = 0; i + 1 < script.Length; i += 2)
        {
            int op = script[i] % 7;
            int arg = script[i + 1];
            long cursor = published.Count - 1;
            switch (op)
            {
                case 0:
                case 1:
                    Publish(ring, published, readers, size);
                    break;
                case 2:
                case 3:
                    if (readers.Count > 0) Read(ring, published, readers[arg % readers.Count], arg % 5 + 1, size);
                    break;
                case 4:
                {
                    if (readers.Count >= 6) break;
                    long startAfter = Math.Max(-1, cursor - arg % (size + 2));
                    if (startAfter >= cursor + 1 - size)
                        readers.Add(new ModelReader(ring.AddGatingReader(startAfter), true, startAfter));
                    else
                        Assert.Throws<ArgumentOutOfRangeException>(() => ring.AddGatingReader(startAfter));
                    break;
                }
                case 5:
                {
                    if (readers.Count >= 6) break;
                    long startAfter = Math.Max(-1, cursor - arg % (2 * size + 1));
                    readers.Add(new ModelReader(ring.AddReader(startAfter), false, startAfter));
                    break;
                }
                default:
                    if (readers.Count == 0) break;
                    ModelReader leaving = readers[arg % readers.Count];
                    leaving.Real.Dispose();
                    readers.Remove(leaving);
                    break;
            }

            Assert.Equal(published.Count - 1, ring.Cursor);
            foreach (ModelReader reader in readers)
            {
                Assert.Equal(reader.Position, reader.Real.Position);
                Assert.Equal(Math.Max(0, ring.Cursor - reader.Position), reader.Real.Lag);
            }
        }
        foreach (ModelReader reader in readers) reader.Real.Dispose();
    }

    private static void Publish(RingBuffer<TestSlot> ring, List<long> published, List<ModelReader> readers, int size)
    {
        long next = published.Count;
        bool canClaim = readers.TrueForAll(r => !r.Gating || r.Position >= next - size);
        Assert.Equal(canClaim, ring.TryNext(out long seq));
        if (!canClaim) return;
        Assert.Equal(next, seq);
        long value = TestSlot.ValueFor(seq) ^ published.Count * 7919;
        ring[seq].Value = value;
        ring.Publish(seq);
        published.Add(value);
    }

    private static void Read(RingBuffer<TestSlot> ring, List<long> published, ModelReader reader, int maxBatch, int size)
    {
        long cursor = published.Count - 1;
        long first = reader.Position + 1;
        long expectedLast = Math.Min(Math.Min(cursor, first + maxBatch - 1), first + (size - 1 - (first & (size - 1))));
        if (reader.Real is RingReader plain)
        {
            RingReadStatus expected = reader.Overrun || (first <= cursor && first + size <= cursor)
                ? RingReadStatus.Overrun
                : first > cursor ? RingReadStatus.Empty : RingReadStatus.Ready;
            Assert.Equal(expected, plain.Poll(maxBatch, out long f, out long l));
            if (expected == RingReadStatus.Overrun)
            {
                reader.Overrun = true;
                return;
            }
            if (expected == RingReadStatus.Empty) return;
            Check(ring, published, first, expectedLast, f, l);
            Assert.True(plain.Validate(f));
            plain.Advance(l);
            reader.Position = l;
            return;
        }

        bool available = first <= cursor;
        Assert.Equal(available, reader.Real.TryGetBatch(maxBatch, out long gf, out long gl));
        if (!available) return;
        Check(ring, published, first, expectedLast, gf, gl);
        reader.Real.Advance(gl);
        reader.Position = gl;
    }

    private static void Check(RingBuffer<TestSlot> ring, List<long> published, long first, long last, long f, long l)
    {
        Assert.Equal(first, f);
        Assert.Equal(last, l);
        for (long s = f; s <= l; s++) Assert.Equal(published[(int)s], ring[s].Value);
    }
}
