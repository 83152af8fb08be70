using GatewayProxy.Ingress.Rest;
using Microsoft.Extensions.Logging;

namespace GatewayProxy.Ingress.Identify;

/// <summary>
/// The in-process identify queue: one bucket per <c>shard % max_concurrency</c>, one IDENTIFY per bucket per interval
/// plus a margin (first come, first served), and no more IDENTIFYs than <c>session_start_limit.remaining</c> until
/// <c>reset_after</c>.
/// </summary>
/// <remarks>
/// A bucket's next IDENTIFY may go out one spacing (interval + margin) after the previous one was written to the socket
/// (see <see cref="IdentifyTurn"/>). The margin absorbs what the spacing loses between our socket and the gateway's
/// clock: the gateway times an IDENTIFY when it processes it, so a first IDENTIFY delayed in flight or in its queue and a
/// second one that is not arrive closer together than they were sent. When the gateway still refuses an IDENTIFY with
/// op 9, that bucket's margin is widened (<see cref="WidenedMargin"/>) before its next IDENTIFY, the refused shard's
/// retry included.
/// </remarks>
public sealed class IdentifyQueue : IIdentifyQueue
{
    /// <summary>Discord's session-start window after the first reset.</summary>
    public static readonly TimeSpan SessionStartWindow = TimeSpan.FromDays(1);

    /// <summary>The margin when none is configured (<c>upstream.identify_margin_ms</c>, docs/configuration.md).</summary>
    public static readonly TimeSpan DefaultMargin = TimeSpan.FromSeconds(1);

    private readonly Bucket[] _buckets;
    private readonly TimeSpan _interval;
    private readonly TimeProvider _time;
    private readonly ILogger? _logger;
    private readonly long _start;
    private readonly Lock _limitLock = new();
    private readonly int _total;
    private int _remaining;
    private TimeSpan _resetAt;
    private long _sent;
    private long _refused;

    /// <summary>Creates the queue from <c>session_start_limit</c>; <paramref name="interval"/> is 5 s on Discord, and
    /// <paramref name="margin"/> is added to it (null: <see cref="DefaultMargin"/>).</summary>
    public IdentifyQueue(SessionStartLimit limit, TimeSpan interval, TimeSpan? margin = null, TimeProvider? time = null, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(limit);
        ArgumentOutOfRangeException.ThrowIfLessThan(interval, TimeSpan.Zero);
        TimeSpan initialMargin = margin ?? DefaultMargin;
        ArgumentOutOfRangeException.ThrowIfLessThan(initialMargin, TimeSpan.Zero, nameof(margin));
        _time = time ?? TimeProvider.System;
        _logger = logger;
        _interval = interval;
        _start = _time.GetTimestamp();
        _buckets = new Bucket[Math.Max(1, limit.MaxConcurrency)];
        for (int i = 0; i < _buckets.Length; i++)
        {
            _buckets[i] = new Bucket(initialMargin);
        }

        _total = Math.Max(1, limit.Total);
        _remaining = Math.Max(0, limit.Remaining);
        _resetAt = limit.ResetAfter;
    }

    /// <summary>Number of buckets (max_concurrency).</summary>
    public int BucketCount => _buckets.Length;

    /// <summary>IDENTIFYs reported on the wire so far.</summary>
    public long SentCount => Interlocked.Read(ref _sent);

    /// <summary>IDENTIFYs the gateway refused with op 9 so far.</summary>
    public long RefusedCount => Interlocked.Read(ref _refused);

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

    /// <summary>What the margin becomes after the gateway refused an IDENTIFY spaced with <paramref name="margin"/>:
    /// doubled, and at least half the interval, so one refusal covers a gateway that times IDENTIFYs up to half an
    /// interval late; at most twice the interval.</summary>
    public static TimeSpan WidenedMargin(TimeSpan margin, TimeSpan interval)
    {
        TimeSpan widened = margin * 2 > interval / 2 ? margin * 2 : interval / 2;
        TimeSpan cap = interval * 2 > margin ? interval * 2 : margin;
        return widened < cap ? widened : cap;
    }

    /// <summary>The current spacing (interval + margin) of <paramref name="shardId"/>'s bucket.</summary>
    public TimeSpan SpacingOf(int shardId)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(shardId);
        Bucket bucket = _buckets[shardId % _buckets.Length];
        return _interval + bucket.Margin;
    }

    /// <inheritdoc />
    public async ValueTask<IdentifyTurn> WaitTurnAsync(int shardId, CancellationToken ct)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(shardId);
        Bucket bucket = _buckets[shardId % _buckets.Length];
        await bucket.Gate.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            // Re-read after each wait: a refusal may widen the spacing while this shard waits.
            for (TimeSpan wait = bucket.WaitFrom(Now, _interval); wait > TimeSpan.Zero; wait = bucket.WaitFrom(Now, _interval))
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

        return new IdentifyTurn(sent =>
        {
            if (sent)
            {
                Interlocked.Increment(ref _sent);
            }

            bucket.OnTurnEnded(Now);
            bucket.Gate.Release();
        });
    }

    /// <inheritdoc />
    public void OnIdentifyRefused(int shardId)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(shardId);
        Interlocked.Increment(ref _refused);
        Bucket bucket = _buckets[shardId % _buckets.Length];
        (TimeSpan previous, TimeSpan spacing) = bucket.Widen(_interval);
        if (_logger is not null)
        {
            IngressLog.IdentifySpacingWidened(_logger, shardId, shardId % _buckets.Length, previous, spacing);
        }
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

    /// <summary>One bucket: its gate (one turn at a time), when its last turn ended, and its current margin.</summary>
    private sealed class Bucket(TimeSpan margin)
    {
        public readonly SemaphoreSlim Gate = new(1, 1);
        private readonly Lock _lock = new();
        private TimeSpan _margin = margin;
        private TimeSpan? _lastEnd;

        public TimeSpan Margin
        {
            get
            {
                lock (_lock)
                {
                    return _margin;
                }
            }
        }

        /// <summary>How long from <paramref name="now"/> until the bucket's next IDENTIFY may go.</summary>
        public TimeSpan WaitFrom(TimeSpan now, TimeSpan interval)
        {
            lock (_lock)
            {
                return _lastEnd is { } last ? last + interval + _margin - now : TimeSpan.Zero;
            }
        }

        public void OnTurnEnded(TimeSpan now)
        {
            lock (_lock)
            {
                _lastEnd = now;
            }
        }

        /// <summary>Widens the margin; the bucket's next IDENTIFY counts the new spacing from the last one.</summary>
        public (TimeSpan Previous, TimeSpan Spacing) Widen(TimeSpan interval)
        {
            lock (_lock)
            {
                TimeSpan previous = interval + _margin;
                _margin = WidenedMargin(_margin, interval);
                return (previous, interval + _margin);
            }
        }
    }
}
