using GatewayProxy.Ring;
using Xunit;

namespace GatewayProxy.Tests.Ring;

public class ReaderJoinLeaveTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromMinutes(2);

    [Fact]
    public async Task Readers_joining_and_leaving_mid_stream_read_contiguous_events()
    {
        const long Events = 400_000;
        var ring = new RingBuffer<TestSlot>(256, _ => new TestSlot(0));
        using var cts = new CancellationTokenSource(Bound);
        using GatingReader anchor = ring.AddGatingReader(-1);
        var ready = new CountdownEvent(3);
        var go = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        var churners = new Task<Churn>[3];
        for (int i = 0; i < churners.Length; i++)
        {
            bool gating = i != 2;
            int seed = i;
            churners[i] = Task.Run(() => ChurnAsync(ring, gating, Events, seed, ready, go.Task, cts.Token));
        }
        Assert.True(ready.Wait(Bound), "churners joined");
        go.SetResult();
        Task producer = Task.Run(() => GatingReaderStressTests.ProduceAsync(ring, Events, cts.Token));
        Task<long> anchorRun = Task.Run(() => GatingReaderStressTests.ConsumeAsync(ring, anchor, Events - 1, cts.Token));

        await producer.WaitAsync(Bound);
        Assert.Equal(0, await anchorRun.WaitAsync(Bound));
        Churn[] results = await Task.WhenAll(churners).WaitAsync(Bound);
        foreach (Churn churn in results) Assert.Equal(0, churn.Errors);
        // Gating churners hold the producer, so they always read, and they rejoin until the stream ends.
        Assert.All(results[..2], churn => Assert.True(churn.Read > 0 && churn.Sessions >= 1));
        Assert.Equal(anchor.Position, ring.MinimumGatingPosition); // every churner left the gating set
    }

    private readonly record struct Churn(long Errors, long Sessions, long Read);

    /// <summary>Joins, reads a random number of events (checking contiguity and values), leaves, and rejoins at the
    /// cursor, until the stream ends.</summary>
    private static async Task<Churn> ChurnAsync(RingBuffer<TestSlot> ring, bool gating, long events, int seed,
        CountdownEvent ready, Task go, CancellationToken ct)
    {
        var random = new Random(seed);
        long errors = 0, sessions = 0, read = 0;
        RingConsumer reader = gating ? ring.AddGatingReader(-1) : ring.AddReader(-1);
        ready.Signal();
        await go;
        while (true)
        {
            sessions++;
            long expected = reader.Position + 1;
            long target = Math.Min(events - 1, expected + random.Next(1, 5000));
            while (expected <= target)
            {
                if (!reader.TryGetBatch(64, out long first, out long last))
                {
                    if (reader is RingReader { WasOverrun: true }) break; // a non-gating reader fell behind: rejoin
                    await reader.WaitAsync(expected, ct);
                    continue;
                }
                long[] values = new long[last - first + 1];
                for (long s = first; s <= last; s++) values[s - first] = ring[s].Value;
                if (reader is RingReader plain && !plain.Validate(first)) break;
                for (long s = first; s <= last; s++)
                {
                    if (s != expected || values[s - first] != TestSlot.ValueFor(s)) errors++;
                    expected = s + 1;
                    read++;
                }
                reader.Advance(last);
            }
            reader.Dispose();
            if (ring.Cursor >= events - 1) break;
            reader = gating ? ring.AddGatingReaderAtCursor() : ring.AddReader(ring.Cursor);
        }
        return new Churn(errors, sessions, read);
    }
}
