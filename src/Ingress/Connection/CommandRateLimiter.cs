namespace GatewayProxy.Ingress.Connection;

/// <summary>
/// Discord's send limit for one connection: at most 120 payloads in any 60 s. Client commands may use all but
/// <see cref="Reserved"/> of them; the reserve is kept for the shard's own heartbeats, IDENTIFY and RESUME, which
/// are recorded but never refused.
/// </summary>
/// <remarks>A sliding window over the send times of the last <see cref="Limit"/> payloads (so a burst at a window
/// edge cannot double the rate). Thread-safe: client sessions call it from egress workers.</remarks>
public sealed class CommandRateLimiter
{
    /// <summary>Discord's per-connection limit.</summary>
    public const int DefaultLimit = 120;

    /// <summary>Discord's window.</summary>
    public static readonly TimeSpan DefaultWindow = TimeSpan.FromSeconds(60);

    private readonly Lock _lock = new();
    private readonly long[] _sent;
    private readonly TimeProvider _time;
    private readonly long _windowTicks;
    private int _count;
    private int _next;
    private int _reserved;

    /// <summary>Creates a limiter of <paramref name="limit"/> payloads per <paramref name="window"/>.</summary>
    public CommandRateLimiter(int limit = DefaultLimit, TimeSpan? window = null, int reserved = 5, TimeProvider? time = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        _sent = new long[limit];
        _time = time ?? TimeProvider.System;
        _windowTicks = (long)((window ?? DefaultWindow).TotalSeconds * _time.TimestampFrequency);
        Reserved = reserved;
    }

    /// <summary>Payloads per window.</summary>
    public int Limit => _sent.Length;

    /// <summary>Sends per window kept for the shard's own payloads (heartbeats, IDENTIFY, RESUME).</summary>
    public int Reserved
    {
        get => Volatile.Read(ref _reserved);
        set => Volatile.Write(ref _reserved, Math.Clamp(value, 0, _sent.Length - 1));
    }

    /// <summary>The reserve a heartbeat interval needs: every beat of one window plus IDENTIFY/RESUME and a spare, at least 5.</summary>
    public static int ReserveFor(TimeSpan heartbeatInterval)
    {
        double beats = heartbeatInterval <= TimeSpan.Zero ? DefaultLimit : Math.Ceiling(DefaultWindow / heartbeatInterval);
        return (int)Math.Clamp(beats + 3, 5, DefaultLimit / 2);
    }

    /// <summary>Payloads sent in the current window.</summary>
    public int InWindow
    {
        get
        {
            lock (_lock)
            {
                return CountInWindow(_time.GetTimestamp());
            }
        }
    }

    /// <summary>Records a client command if the window has room besides the reserve; false (nothing recorded) when it has not.</summary>
    public bool TryAcquireCommand()
    {
        lock (_lock)
        {
            long now = _time.GetTimestamp();
            if (CountInWindow(now) >= _sent.Length - Reserved)
            {
                return false;
            }

            Record(now);
            return true;
        }
    }

    /// <summary>Records one of the shard's own payloads (never refused: the reserve exists for it).</summary>
    public void RecordControl()
    {
        lock (_lock)
        {
            Record(_time.GetTimestamp());
        }
    }

    /// <summary>Forgets every send (a new connection starts a new window).</summary>
    public void Reset()
    {
        lock (_lock)
        {
            _count = 0;
            _next = 0;
        }
    }

    private void Record(long now)
    {
        _sent[_next] = now;
        _next = (_next + 1) % _sent.Length;
        if (_count < _sent.Length)
        {
            _count++;
        }
    }

    private int CountInWindow(long now)
    {
        // Newest first; times are recorded in order, so the first one outside the window ends the scan.
        int n = 0;
        for (int i = 1; i <= _count; i++)
        {
            long t = _sent[(_next - i + _sent.Length) % _sent.Length];
            if (now - t >= _windowTicks)
            {
                break;
            }

            n++;
        }

        return n;
    }
}
