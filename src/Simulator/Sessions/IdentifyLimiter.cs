namespace GatewayProxy.Simulator.Sessions;

/// <summary>
/// Discord's identify limits: one IDENTIFY per bucket (<c>shard % max_concurrency</c>) per interval, and
/// <c>session_start_limit</c> successful identifies per window (resumes are free).
/// </summary>
internal sealed class IdentifyLimiter
{
    private readonly Lock _gate = new();
    private readonly SimulatorOptions _options;
    private readonly long[] _lastIdentify;
    private readonly bool[] _used;
    private long _windowStart;
    private int _remaining;

    /// <summary>A limiter with a full budget.</summary>
    public IdentifyLimiter(SimulatorOptions options)
    {
        _options = options;
        _lastIdentify = new long[options.MaxConcurrency];
        _used = new bool[options.MaxConcurrency];
        _remaining = options.SessionStartLimit;
        _windowStart = NowMs;
    }

    /// <summary>Milliseconds on <see cref="SimulatorOptions.Clock"/>.</summary>
    private long NowMs => (long)_options.Clock.GetElapsedTime(0).TotalMilliseconds;

    /// <summary>Takes an identify slot for a shard, or says why not (bucket busy, or no session starts left).</summary>
    public bool TryAcquire(int shard, out string? refusal)
    {
        lock (_gate)
        {
            var now = NowMs;
            RollWindow(now);
            var bucket = shard % _options.MaxConcurrency;
            if (_used[bucket] && now - _lastIdentify[bucket] < (long)_options.IdentifyInterval.TotalMilliseconds)
            {
                refusal = $"identify bucket {bucket} used {now - _lastIdentify[bucket]} ms ago by the gateway's clock (one per {_options.IdentifyInterval.TotalMilliseconds} ms)";
                return false;
            }

            if (_remaining <= 0)
            {
                refusal = "session_start_limit exhausted";
                return false;
            }

            _remaining--;
            _used[bucket] = true;
            _lastIdentify[bucket] = now + (long)_options.IdentifyStampDelay.TotalMilliseconds;
            refusal = null;
            return true;
        }
    }

    /// <summary>How long until an IDENTIFY for <paramref name="shard"/> would be accepted (zero: now), by the same clock <see cref="TryAcquire"/> uses.</summary>
    public TimeSpan TimeUntilAllowed(int shard)
    {
        lock (_gate)
        {
            var now = NowMs;
            RollWindow(now);
            var bucket = shard % _options.MaxConcurrency;
            long waitMs = 0;
            if (_used[bucket])
            {
                waitMs = (long)Math.Ceiling(_options.IdentifyInterval.TotalMilliseconds) - (now - _lastIdentify[bucket]);
            }

            if (_remaining <= 0)
            {
                waitMs = Math.Max(waitMs, (long)_options.SessionStartResetAfter.TotalMilliseconds - (now - _windowStart));
            }

            return waitMs > 0 ? TimeSpan.FromMilliseconds(waitMs) : TimeSpan.Zero;
        }
    }

    /// <summary>The session_start_limit object values: total, remaining, reset_after (ms), max_concurrency.</summary>
    public (int Total, int Remaining, long ResetAfterMs, int MaxConcurrency) Snapshot()
    {
        lock (_gate)
        {
            var now = NowMs;
            RollWindow(now);
            var resetAfter = (long)_options.SessionStartResetAfter.TotalMilliseconds - (now - _windowStart);
            return (_options.SessionStartLimit, _remaining, Math.Max(0, resetAfter), _options.MaxConcurrency);
        }
    }

    private void RollWindow(long now)
    {
        if (now - _windowStart >= (long)_options.SessionStartResetAfter.TotalMilliseconds)
        {
            _windowStart = now;
            _remaining = _options.SessionStartLimit;
        }
    }
}
