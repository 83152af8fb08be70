using GatewayProxy.Ring;
using Xunit;

namespace GatewayProxy.Tests.Ring;

public class CancellationTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Cancellation_releases_every_waiter()
    {
        var ring = new RingBuffer<TestSlot>(4, _ => new TestSlot());
        using GatingReader stuck = ring.AddGatingReader(-1);
        for (int i = 0; i < 4; i++) ring.Publish(ring.Next());
        using var cts = new CancellationTokenSource();

        var waits = new List<Task>();
        Task<long> producer = ring.NextAsync(cts.Token).AsTask(); // ring full: waits for the stuck gating reader
        waits.Add(producer);
        var readers = new List<RingReader>();
        for (int i = 0; i < 8; i++)
        {
            RingReader reader = ring.AddReader(ring.Cursor);
            readers.Add(reader);
            waits.Add(reader.WaitAsync(100, cts.Token).AsTask());
        }
        using GatingReader gating = ring.AddGatingReader(ring.Cursor);
        waits.Add(gating.WaitForDataAsync(cts.Token).AsTask());
        var signal = new RingSignal();
        using RingSubscription subscription = ring.Subscribe(signal);
        Assert.True(subscription.Arm(ring.Cursor));
        waits.Add(signal.WaitAsync(cts.Token).AsTask());
        Assert.All(waits, w => Assert.False(w.IsCompleted));

        await cts.CancelAsync();
        foreach (Task wait in waits)
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => wait.WaitAsync(Bound));
        Assert.Equal(3, ring.Cursor); // nothing was claimed by a released producer
        foreach (RingReader reader in readers) reader.Dispose();
    }

    [Fact]
    public async Task Blocked_producer_is_released_by_cancellation()
    {
        var ring = new RingBuffer<TestSlot>(2, _ => new TestSlot());
        using GatingReader stuck = ring.AddGatingReader(-1);
        ring.Publish(ring.Next());
        ring.Publish(ring.Next());
        using var cts = new CancellationTokenSource();
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Task blocked = Task.Run(() =>
        {
            started.SetResult();
            return ring.Next(cts.Token);
        });
        await started.Task.WaitAsync(Bound);
        await cts.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => blocked.WaitAsync(Bound));
    }

    [Fact]
    public async Task Spinning_waiters_are_released_by_cancellation()
    {
        var ring = new RingBuffer<TestSlot>(2, _ => new TestSlot(), new RingOptions { WaitStrategy = WaitStrategyKind.SpinThenYield });
        using GatingReader gate = ring.AddGatingReader(-1);
        ring.Publish(ring.Next());
        ring.Publish(ring.Next());
        using var cts = new CancellationTokenSource();
        using RingReader reader = ring.AddReader(ring.Cursor);
        Task spinningReader = Task.Run(async () => await reader.WaitAsync(10, cts.Token));
        Task spinningProducer = Task.Run(async () => await ring.NextAsync(cts.Token));
        await cts.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => spinningReader.WaitAsync(Bound));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => spinningProducer.WaitAsync(Bound));
    }

    [Fact]
    public async Task Disposing_a_reader_releases_its_wait()
    {
        var ring = new RingBuffer<TestSlot>(4, _ => new TestSlot());
        RingReader reader = ring.AddReader(-1);
        Task wait = reader.WaitAsync(0).AsTask();
        Assert.False(wait.IsCompleted);
        reader.Dispose();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => wait.WaitAsync(Bound));
    }
}
