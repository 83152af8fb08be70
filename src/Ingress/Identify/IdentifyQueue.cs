using GatewayProxy.Ingress.Rest;
using Microsoft.Extensions.Logging;

namespace GatewayProxy.Ingress.Identify;

/// <summary>
/// The in-process identify queue: one bucket per <c>shard % max_concurrency</c>, one IDENTIFY per bucket per interval
/// (first come, first served; plus <see cref="SpacingMargin"/>), and no more IDENTIFYs than <c>session_start_limit.remaining</c> until <c>reset_after</c>.
/// </summary>
public sealed class IdentifyQueue : IIdentifyQueue
{
    /// <summary>Discord's session-start window after the first reset.</summary>
    public static readonly TimeSpan SessionStartWindow = TimeSpan.FromDays(1);

    /// <summary>The most <see cref="SpacingMargin"/> adds to the interval.</summary>
    public static readonly TimeSpan MaxSpacingMargin = TimeSpan.FromMilliseconds(250);

    private readonly Bucket[] _buckets;
    private readonly TimeSpan _interval;
    private readonly TimeProvider _time;
    private readonly ILogger? _logger;
    private readonly long _start;
    private readonly Lock _limitLock = new();
    private readonly int _total;
    private int _remaining;
    private TimeSpan _resetAt;

    /// <summary>Creates the queue from <c>session_start_limit</c>; <paramref name="interval"/> is 5 s on Discord.</summary>
    public IdentifyQueue(SessionStartLimit limit, TimeSpan interval, TimeProvider? time = null, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(limit);
        ArgumentOutOfRangeException.ThrowIfLessThan(interval, TimeSpan.Zero);
        _time = time ?? TimeProvider.System;
        _logger = logger;
        _interval = interval + SpacingMargin(interval);
        _start = _time.GetTimestamp();
        _buckets = new Bucket[Math.Max(1, limit.MaxConcurrency)];
        for (int i = 0; i < _buckets.Length; i++)
        {
            _buckets[i] = new Bucket();
        }

        _total = Math.Max(1, limit.Total);
        _remaining = Math.Max(0, limit.Remaining);
        _resetAt = limit.ResetAfter;
    }

    /// <summary>What a bucket waits beyond <paramref name="interval"/>: a tenth of it, at most <see cref="MaxSpacingMargin"/>
    /// (250 ms on Discord's 5 s). The gateway times IDENTIFYs when it processes them, with a coarse clock; two sent exactly
    /// one interval apart can arrive closer (the first one delayed in flight or in the server's queue) and the second is
    /// then answered with op 9 and costs a re-identify.</summary>
    public static TimeSpan SpacingMargin(TimeSpan interval) => interval / 10 < MaxSpacingMargin ? interval / 10 : MaxSpacingMargin;

    /// <summary>Number of buckets (max_concurrency).</summary>
    public int BucketCount => _buckets.Length;

    /// <summary>IDENTIFYs left in the current session-start window.</summary>
    public int Remaining
    {
        get
        {
            lock (_limitLock)
            {
                return _remaining;
            }
        }
    }

    /// <inheritdoc />
    public async ValueTask<IdentifyTurn> WaitTurnAsync(int shardId, CancellationToken ct)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(shardId);
        Bucket bucket = _buckets[shardId % _buckets.Length];
        await bucket.Gate.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            TimeSpan wait = bucket.NextAllowed - Now;
            if (wait > TimeSpan.Zero)
            {
                await Task.Delay(wait, _time, ct).ConfigureAwait(false);
            }

            TimeSpan limitWait = ReserveSessionStart();
            if (limitWait > TimeSpan.Zero)
            {
                if (_logger is not null)
                {
                    IngressLog.SessionStartLimitWait(_logger, shardId, limitWait);
                }
                await Task.Delay(limitWait, _time, ct).ConfigureAwait(false);
            }
        }
        catch
        {
            bucket.Gate.Release();
            throw;
        }

        return new IdentifyTurn(() =>
        {
            bucket.NextAllowed = Now + _interval;
            bucket.Gate.Release();
        });
    }

    private TimeSpan Now => _time.GetElapsedTime(_start);

    /// <summary>Takes one IDENTIFY from the budget; returns how long to wait first when the budget is spent.</summary>
    private TimeSpan ReserveSessionStart()
    {
        lock (_limitLock)
        {
            TimeSpan now = Now;
            if (now >= _resetAt)
            {
                _remaining = _total;
                _resetAt = now + SessionStartWindow;
            }

            if (_remaining > 0)
            {
                _remaining--;
                return TimeSpan.Zero;
            }

            // Spent: this IDENTIFY is the first of the next window.
            TimeSpan wait = _resetAt - now;
            _remaining = _total - 1;
            _resetAt += SessionStartWindow;
            return wait;
        }
    }

    private sealed class Bucket
    {
        public readonly SemaphoreSlim Gate = new(1, 1);
        public TimeSpan NextAllowed;
    }
}
