namespace GatewayProxy.Egress.Clients;

/// <summary>Discord's per-connection send limit: at most <see cref="Limit"/> payloads in any <see cref="WindowMs"/> window.</summary>
/// <remarks>A ring of the last <see cref="Limit"/> arrival times: payload k+Limit is refused when payload k arrived less
/// than a window earlier. Exact (a sliding window, not fixed buckets), allocation-free, owned by the read loop.</remarks>
internal sealed class ClientRateLimiter
{
    /// <summary>Payloads allowed per window.</summary>
    public const int Limit = 120;

    /// <summary>The window.</summary>
    public const long WindowMs = 60_000;

    private readonly long[] _times = new long[Limit];
    private int _next;
    private int _count;

    /// <summary>Records a payload at <paramref name="nowMs"/>; false when it is over the limit.</summary>
    public bool TryAcquire(long nowMs)
    {
        if (_count == Limit && nowMs - _times[_next] < WindowMs) return false;
        _times[_next] = nowMs;
        _next = (_next + 1) % Limit;
        if (_count < Limit) _count++;
        return true;
    }
}
