using GatewayProxy.Ring;
using Xunit;

namespace GatewayProxy.Tests.Ring;

public class GatingReaderStressTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromMinutes(4);

    [Theory]
    [InlineData(WaitStrategyKind.Async)]
    [InlineData(WaitStrategyKind.SpinThenYield)]
    public async Task Gating_readers_see_every_event_in_order_over_ten_million(WaitStrategyKind strategy)
    {
        const long Events = 10_000_000;
        const int Readers = 3;
        // The spinning strategy holds a thread per waiter: fewer events keep it bounded on 2 shared cores.
        long events = strategy == WaitStrategyKind.Async ? Events : Events / 10;
        var ring = new RingBuffer<TestSlot>(4096, _ => new TestSlot(0), new RingOptions { WaitStrategy = strategy });
        using var cts = new CancellationTokenSource(Bound);
        var readers = new GatingReader[Readers];
        for (int i = 0; i < Readers; i++) readers[i] = ring.AddGatingReader(-1);

        var consumers = new Task<long>[Readers];
        for (int i = 0; i < Readers; i++)
        {
            GatingReader reader = readers[i];
            consumers[i] = Task.Run(() => ConsumeAsync(ring, reader, events - 1, cts.Token));
        }
        Task producer = Task.Run(() => ProduceAsync(ring, events, cts.Token));

        await producer.WaitAsync(Bound);
        long[] errors = await Task.WhenAll(consumers).WaitAsync(Bound);
        Assert.All(errors, e => Assert.Equal(0, e));
        Assert.All(readers, r => Assert.Equal(events - 1, r.Position));
        Assert.Equal(events - 1, ring.Cursor);
        foreach (GatingReader reader in readers) reader.Dispose();
    }

    internal static async Task ProduceAsync(RingBuffer<TestSlot> ring, long events, CancellationToken ct)
    {
        for (long i = 0; i < events; i++)
        {
            if (!ring.TryNext(out long seq)) seq = await ring.NextAsync(ct);
            ring[seq].Value = TestSlot.ValueFor(seq);
            ring.Publish(seq);
        }
    }

    /// <summary>Reads until <paramref name="lastSequence"/>; returns the number of out-of-order or wrong events.</summary>
    internal static async Task<long> ConsumeAsync(RingBuffer<TestSlot> ring, RingConsumer reader, long lastSequence, CancellationToken ct)
    {
        long errors = 0;
        long expected = reader.Position + 1;
        while (expected <= lastSequence)
        {
            if (!reader.TryGetBatch(1024, out long first, out long last))
            {
                await reader.WaitAsync(expected, ct);
                continue;
            }
            for (long s = first; s <= last; s++)
            {
                if (s != expected || ring[s].Value != TestSlot.ValueFor(s)) errors++;
                expected = s + 1;
            }
            reader.Advance(last);
        }
        return errors;
    }
}
