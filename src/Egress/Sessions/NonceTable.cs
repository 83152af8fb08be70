namespace GatewayProxy.Egress.Sessions;

/// <summary>A session's member requests (op 8): the proxy nonce number → the nonce the client sent (its raw JSON value
/// token, or null when it sent none), so replies can be given back with the client's own nonce.</summary>
/// <remarks>Bounded FIFO: entries are not removed at the last chunk because a RESUME may replay the chunks; the oldest
/// entries are forgotten once <see cref="Capacity"/> requests are outstanding. Written by the client's read loop, read by
/// its relay worker: a lock (cold path: op 8 is rate limited, replies are rare).</remarks>
internal sealed class NonceTable
{
    /// <summary>Requests remembered per session.</summary>
    public const int Capacity = 256;

    private readonly Lock _lock = new();
    private readonly Dictionary<long, byte[]?> _originals = [];
    private readonly Queue<long> _order = new();
    private long _next;

    /// <summary>Registers a request and returns its proxy nonce number.</summary>
    public long Add(byte[]? originalValueToken)
    {
        lock (_lock)
        {
            long n = ++_next;
            _originals[n] = originalValueToken;
            _order.Enqueue(n);
            while (_order.Count > Capacity) _originals.Remove(_order.Dequeue());
            return n;
        }
    }

    /// <summary>The client's nonce for proxy nonce number <paramref name="n"/>.</summary>
    public bool TryGet(long n, out byte[]? originalValueToken)
    {
        lock (_lock)
        {
            return _originals.TryGetValue(n, out originalValueToken);
        }
    }
}
