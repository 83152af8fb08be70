using FsCheck.Xunit;
using GatewayProxy.Ring;
using Xunit;

namespace GatewayProxy.Tests.Ring.Memory;

/// <summary>The byte log against a plain list model: random payload sizes (0 B to 1 MiB, many around the 64 KiB block
/// size), publishes, reads, reader moves and trims. The model keeps every payload and says which ones the ring must still
/// hold; the ring must return exactly those, call the others overrun, and hold no block without a retained event.</summary>
public sealed class PayloadLogModelProperties
{
    private static readonly TimeSpan RetainFor = TimeSpan.FromSeconds(100);

    [Property(MaxTest = 150)]
    public void Byte_log_matches_a_list_model_for_any_sizes_publishes_reads_and_trims(byte sizeLog, byte[] script)
    {
        int size = 1 << (sizeLog % 4 + 2); // 4..32 slots
        var kit = new PayloadRingKit(RetainFor);
        using PayloadRing<TestMeta> ring = kit.NewRing(size);
        var lengths = new List<int>(); // the model: every published payload's length (its bytes follow from seq and length)
        var times = new List<long>();  // and the clock (whole seconds) at its publication
        long now = 0;
        long floor = 0;               // the model's floor as of the last trim tick
        RingReader? reader = null;
        long readerPosition = -1;
        script ??= [];

        for (int i = 0; i + 2 < script.Length; i += 3)
        {
            int op = script[i] % 8;
            int arg = script[i + 1];
            int arg2 = script[i + 2];
            long cursor = lengths.Count - 1;
            switch (op)
            {
                case 0:
                case 1:
                case 2:
                {
                    int length = (arg % 4) switch
                    {
                        0 => arg2,                                       // tiny
                        1 => arg2 * 64,                                  // up to 16 KiB
                        2 => PayloadRingKit.Block - 96 + (arg2 % 128),   // either side of a block
                        _ => arg2 * 4112,                                // up to 1 MiB
                    };
                    Assert.Equal(lengths.Count, PayloadRingKit.Publish(ring, length));
                    lengths.Add(length);
                    times.Add(now);
                    break;
                }

                case 3:
                case 4:
                {
                    if (cursor < 0) break;
                    long seq = arg * (cursor + 1) / 256;
                    if (seq >= Math.Max(ring.OldestRetained, cursor - size + 1)) Assert.True(PayloadRingKit.ReadsBack(ring, seq, lengths[(int)seq]), $"event {seq} of {cursor}");
                    else Assert.True(ring.IsOverrun(seq), $"event {seq} should be gone (floor {ring.OldestRetained}, cursor {cursor})");
                    break;
                }

                case 5:
                    if (reader is null)
                    {
                        readerPosition = Math.Max(-1, cursor - arg % 4);
                        reader = ring.AddReader(readerPosition);
                    }
                    else if (arg % 3 == 0)
                    {
                        reader.Dispose();
                        reader = null;
                    }
                    else if (readerPosition < cursor)
                    {
                        readerPosition = Math.Min(cursor, readerPosition + 1 + arg % 8);
                        reader.Advance(readerPosition);
                    }

                    break;

                default:
                    now += arg2 % 64;
                    kit.Tick(TimeSpan.FromSeconds(arg2 % 64));
                    floor = Math.Max(floor, Target(lengths.Count - 1, size, reader is null ? long.MaxValue : readerPosition, times, now, floor));
                    Assert.Equal(floor, ring.OldestRetained);
                    break;
            }

            cursor = lengths.Count - 1;
            // Never trims what retention keeps; never keeps a block no retained event needs.
            Assert.True(ring.OldestRetained <= Math.Max(floor, Target(cursor, size, reader is null ? long.MaxValue : readerPosition, times, now, floor)));
            long retained = cursor + 1 - Math.Max(ring.OldestRetained, cursor + 1 - size);
            Assert.True(ring.BlockCount <= retained + 1, $"{ring.BlockCount} blocks for {retained} retained events");
            Assert.Equal(kit.Memory.HeldBytes, ring.HeldBytes);
        }

        reader?.Dispose();
        ring.Dispose();
        Assert.Equal(0, kit.Memory.HeldBytes);
    }

    /// <summary>The oldest event retention keeps: among the last <paramref name="size"/>, and not passed by the reader or
    /// younger than the retention age.</summary>
    private static long Target(long cursor, int size, long reader, List<long> times, long now, long floor)
    {
        long counted = cursor + 1 - size;
        long unread = reader >= cursor ? cursor + 1 : reader + 1;
        long young = Math.Max(floor, counted);
        while (young <= cursor && times[(int)young] < now - (long)RetainFor.TotalSeconds) young++;
        return Math.Max(counted, Math.Min(unread, young));
    }
}
