namespace GatewayProxy.Simulator.Sessions;

/// <summary>
/// A gateway queue compatible with twilight's gateway-queue HTTP server: a request for shard N is held until N may
/// identify, then answered 200. Buckets are <c>shard % max_concurrency</c>, served first come, first served.
/// </summary>
/// <remarks>
/// Stricter than twilight's server, which spaces its grants: a bucket's window here starts when the previously granted
/// shard's IDENTIFY arrives (or when <see cref="SimulatorOptions.IdentifyQueueHold"/> passes without it), measured by the
/// same clock as <see cref="IdentifyLimiter"/>. So two processes whose IDENTIFYs travel at different speeds can never
/// land two IDENTIFYs of one bucket inside the window, and a violation the simulator counts is a real client bug.
/// </remarks>
internal sealed class IdentifyQueueServer
{
    private readonly IdentifyLimiter _limiter;
    private readonly TimeSpan _hold;
    private readonly TimeProvider _clock;
    private readonly Bucket[] _buckets;

    /// <summary>A queue over the simulator's identify limits.</summary>
    public IdentifyQueueServer(SimulatorOptions options, IdentifyLimiter limiter)
    {
        _limiter = limiter;
        _hold = options.IdentifyQueueHold;
        _clock = options.Clock;
        _buckets = new Bucket[options.MaxConcurrency];
        for (var i = 0; i < _buckets.Length; i++)
        {
            _buckets[i] = new Bucket();
        }
    }

    /// <summary>Completes when <paramref name="shard"/> may send IDENTIFY; the caller then answers the HTTP request.</summary>
    public async Task WaitTurnAsync(int shard, CancellationToken ct)
    {
        var bucket = _buckets[shard % _buckets.Length];
        await bucket.Gate.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            Task? previous;
            lock (bucket)
            {
                previous = bucket.Pending?.Task;
            }

            if (previous is not null)
            {
                try
                {
                    await previous.WaitAsync(_hold, ct).ConfigureAwait(false);
                }
                catch (TimeoutException)
                {
                    // The granted shard never identified (it gave up or crashed): its turn is forfeit.
                }
            }

            // Loop: a timer may fire a little early by the limiter's millisecond clock.
            for (var wait = _limiter.TimeUntilAllowed(shard); wait > TimeSpan.Zero; wait = _limiter.TimeUntilAllowed(shard))
            {
                await Task.Delay(wait, _clock, ct).ConfigureAwait(false);
            }

            lock (bucket)
            {
                bucket.Pending = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                bucket.PendingShard = shard;
            }
        }
        finally
        {
            bucket.Gate.Release();
        }
    }

    /// <summary>An IDENTIFY for <paramref name="shard"/> arrived (accepted or refused): its bucket's next turn may be prepared.</summary>
    public void OnIdentify(int shard)
    {
        var bucket = _buckets[shard % _buckets.Length];
        lock (bucket)
        {
            if (bucket.PendingShard == shard)
            {
                bucket.Pending?.TrySetResult();
            }
        }
    }

    private sealed class Bucket
    {
        public readonly SemaphoreSlim Gate = new(1, 1);
        public TaskCompletionSource? Pending;
        public int PendingShard = -1;
    }
}
