using GatewayProxy.Ring;
using Xunit;

namespace GatewayProxy.Tests.Ring;

public class WakeupTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task One_publish_wakes_every_reader_waiting_for_it_and_no_other()
    {
        var ring = new RingBuffer<TestSlot>(8, _ => new TestSlot());
        var readers = Enumerable.Range(0, 16).Select(_ => ring.AddReader(-1)).ToArray();
        Task[] forFirst = readers[..12].Select(r => r.WaitAsync(0).AsTask()).ToArray();
        Task[] forSecond = readers[12..].Select(r => r.WaitAsync(1).AsTask()).ToArray();
        Assert.All(forFirst.Concat(forSecond), t => Assert.False(t.IsCompleted));

        ring.Publish(ring.Next());
        await Task.WhenAll(forFirst).WaitAsync(Bound);
        Assert.All(forSecond, t => Assert.False(t.IsCompleted));
        ring.Publish(ring.Next());
        await Task.WhenAll(forSecond).WaitAsync(Bound);
        foreach (RingReader reader in readers) reader.Dispose();
    }

    [Fact]
    public async Task Waiting_repeatedly_on_one_reader_reuses_its_waiter()
    {
        var ring = new RingBuffer<TestSlot>(8, _ => new TestSlot());
        using RingReader reader = ring.AddReader(-1);
        for (long seq = 0; seq < 200; seq++)
        {
            ValueTask wait = reader.WaitAsync(seq);
            ring.Publish(ring.Next());
            await wait.AsTask().WaitAsync(Bound);
            Assert.True(ring.Cursor >= seq);
            Assert.True(reader.TryGetBatch(8, out _, out long last));
            reader.Advance(last);
        }
        Assert.True(ring.WaitStrategy == WaitStrategyKind.Async);
    }

    [Fact]
    public async Task Signal_is_set_by_the_first_publish_after_the_armed_position()
    {
        var ring = new RingBuffer<TestSlot>(8, _ => new TestSlot());
        var other = new RingBuffer<TestSlot>(8, _ => new TestSlot());
        var signal = new RingSignal();
        using RingSubscription first = ring.Subscribe(signal);
        using RingSubscription second = other.Subscribe(signal);
        Assert.True(first.Arm(-1));
        Assert.True(first.Arm(-1)); // re-arming while armed is harmless
        Assert.True(second.Arm(-1));
        ValueTask wait = signal.WaitAsync();
        Assert.False(wait.IsCompleted);

        other.Publish(other.Next());
        await wait.AsTask().WaitAsync(Bound);
        Assert.False(second.IsArmed);
        Assert.True(first.IsArmed);
        Assert.False(second.Arm(-1)); // data is available: do not sleep
        Assert.True(second.Arm(0));
    }

    [Fact]
    public async Task Signal_set_before_waiting_completes_the_next_wait_once()
    {
        var signal = new RingSignal();
        signal.Set();
        signal.Set();
        Assert.True(signal.IsSet);
        await signal.WaitAsync().AsTask().WaitAsync(Bound);
        Assert.False(signal.IsSet);
        ValueTask next = signal.WaitAsync();
        Assert.False(next.IsCompleted);
        signal.Set();
        await next.AsTask().WaitAsync(Bound);
    }

    [Fact]
    public async Task Worker_with_one_signal_drains_many_readers_without_losing_a_wakeup()
    {
        const long Events = 20_000;
        var ring = new RingBuffer<TestSlot>(64, _ => new TestSlot(0));
        using var cts = new CancellationTokenSource(Bound);
        // The worker's own gating sequence (one per egress worker) keeps its readers from being overrun.
        using GatingReader workerGate = ring.AddGatingReader(-1);
        var readers = Enumerable.Range(0, 20).Select(_ => ring.AddReader(-1)).ToArray();
        var signal = new RingSignal();
        using RingSubscription subscription = ring.Subscribe(signal);
        Task producer = Task.Run(() => GatingReaderStressTests.ProduceAsync(ring, Events, cts.Token));

        long errors = 0;
        while (workerGate.Position < Events - 1)
        {
            long lowest = long.MaxValue;
            foreach (RingReader reader in readers)
            {
                while (reader.TryGetBatch(32, out long first, out long last))
                {
                    for (long s = first; s <= last; s++)
                        if (ring[s].Value != TestSlot.ValueFor(s)) errors++;
                    if (!reader.Validate(first)) errors++;
                    reader.Advance(last);
                }
                lowest = Math.Min(lowest, reader.Position);
            }
            if (lowest > workerGate.Position) workerGate.Advance(lowest);
            // Done: arming now would wait for a publish that never comes (the producer has stopped).
            if (lowest == Events - 1) break;
            if (subscription.Arm(lowest)) await signal.WaitAsync(cts.Token);
        }
        await producer.WaitAsync(Bound);
        Assert.Equal(0, errors);
        Assert.All(readers, r => Assert.Equal(Events - 1, r.Position));
    }
}
