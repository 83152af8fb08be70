using GatewayProxy.Ring;
using Xunit;

namespace GatewayProxy.Tests.Ring;

public class OverrunTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromMinutes(2);

    /// <summary>A slow non-gating reader copies payloads while the producer rewrites slots under it. A gating "pacer"
    /// that the reader moves lets the test decide when the producer may lap the reader: some reads wait mid-copy until
    /// the slot was certainly rewritten (the reader must be told), others race the producer (the reader may or may
    /// not be told, but whatever it accepts must be exactly what was published for that sequence).</summary>
    [Fact]
    public async Task Slow_non_gating_reader_is_told_of_overrun_and_never_accepts_other_bytes()
    {
        const int Size = 16;
        const long Events = 60_000;
        var ring = new RingBuffer<TestSlot>(Size, _ => new TestSlot(inlineCapacity: 64));
        using var cts = new CancellationTokenSource(Bound);
        using GatingReader pacer = ring.AddGatingReader(-1);
        Task producer = Task.Run(() => ProduceAsync(ring, Events, cts.Token));
        Result result = await Task.Run(() => ReadSlowlyAsync(ring, pacer, Events, cts.Token)).WaitAsync(Bound);
        await producer.WaitAsync(Bound);

        Assert.Equal(0, result.Mismatches);
        Assert.True(result.ForcedOverruns > 0);
        Assert.Equal(result.ForcedOverruns, result.ForcedDetected);
        Assert.True(result.Accepted > 1000);
    }

    private readonly record struct Result(long Accepted, long Mismatches, long ForcedOverruns, long ForcedDetected, long RacedDetected);

    private static async Task ProduceAsync(RingBuffer<TestSlot> ring, long events, CancellationToken ct)
    {
        for (long i = 0; i < events; i++)
        {
            long seq = await ring.NextAsync(ct);
            TestSlot slot = ring[seq];
            byte[] payload = TestSlot.PayloadFor(seq);
            slot.Payload.Reset();
            // Write in pieces so a racing reader can catch the slot half-written.
            for (int offset = 0; offset < payload.Length; offset += 32)
                slot.Payload.Write(payload.AsSpan(offset, Math.Min(32, payload.Length - offset)));
            slot.Sequence = seq;
            slot.Checksum = TestSlot.Fnv(payload);
            ring.Publish(seq);
        }
    }

    private static async Task<Result> ReadSlowlyAsync(RingBuffer<TestSlot> ring, GatingReader pacer, long events, CancellationToken ct)
    {
        long accepted = 0, mismatches = 0, forced = 0, forcedDetected = 0, racedDetected = 0, reads = 0;
        byte[] copy = new byte[1024];
        RingReader reader = ring.AddReader(-1);
        while (reader.Position < events - 1)
        {
            RingReadStatus status = reader.Poll(1, out long seq, out _);
            if (status == RingReadStatus.Empty)
            {
                await reader.WaitAsync(reader.Position + 1, ct);
                continue;
            }
            Assert.Equal(RingReadStatus.Ready, status); // the pacer prevents overruns the test did not ask for

            reads++;
            bool forceLap = reads % 20 == 0 && seq + ring.Size < events;
            bool race = reads % 20 == 10;
            TestSlot slot = ring[seq];
            ReadOnlySpan<byte> span = slot.Payload.WrittenSpan;
            int length = Math.Min(span.Length, copy.Length);
            int half = length / 2;
            span[..half].CopyTo(copy);
            if (forceLap || race)
            {
                // Let the producer lap us: the pacer may move up to our slot (it is published, so <= cursor).
                pacer.Advance(Math.Max(pacer.Position, seq));
                if (forceLap) await reader.WaitAsync(seq + ring.Size, ct); // the slot has been re-claimed by now
            }
            span = slot.Payload.WrittenSpan; // re-read: the producer may have moved the payload meanwhile
            length = Math.Min(span.Length, copy.Length);
            for (int i = half; i < length; i++) copy[i] = span[i];
            long slotSequence = slot.Sequence;
            ulong checksum = slot.Checksum;

            bool valid = reader.Validate(seq);
            if (forceLap)
            {
                forced++;
                if (!valid) forcedDetected++;
            }
            if (valid)
            {
                accepted++;
                byte[] expected = TestSlot.PayloadFor(seq);
                if (slotSequence != seq || checksum != TestSlot.Fnv(copy.AsSpan(0, length))
                    || !copy.AsSpan(0, length).SequenceEqual(expected))
                    mismatches++;
                reader.Advance(seq);
                if (seq > pacer.Position) pacer.Advance(seq); // keep the producer within one lap of us
                continue;
            }

            if (race) racedDetected++;
            Assert.True(reader.WasOverrun);
            Assert.True(reader.IsOverrun(seq));
            reader.Dispose();
            long restart = ring.Cursor;
            reader = ring.AddReader(restart);
            if (restart > pacer.Position) pacer.Advance(restart);
        }
        reader.Dispose();
        pacer.Dispose();
        return new Result(accepted, mismatches, forced, forcedDetected, racedDetected);
    }
}
