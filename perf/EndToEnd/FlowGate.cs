namespace GatewayProxy.Perf.EndToEnd;

/// <summary>
/// Closed-loop flow control for one shard's firehose: the emitter may run at most <see cref="Window"/> events ahead of the
/// slowest client of the shard. The proxy never slows a shard for a client (it cuts it instead), so an open-loop firehose
/// would measure how fast clients get cut; this measures the rate the whole path sustains.
/// </summary>
internal sealed class FlowGate
{
    private readonly Dictionary<LoadClient, int> _lanes = [];
    private readonly List<LoadClient> _clients = [];
    private readonly SemaphoreSlim _progress = new(0);
    private int _waiting;

    /// <summary>A gate allowing <paramref name="window"/> events in flight.</summary>
    public FlowGate(int window) => Window = window;

    /// <summary>Events the emitter may be ahead of the slowest client.</summary>
    public int Window { get; }

    /// <summary>Adds a client of this shard (before the firehose starts).</summary>
    public void Add(LoadClient client) => _clients.Add(client);

    /// <summary>Adds a merged client, counted by what it received from this gate's shard (<paramref name="lane"/>).</summary>
    public void Add(LoadClient client, int lane)
    {
        _clients.Add(client);
        _lanes[client] = lane;
    }

    /// <summary>Live events received by the slowest client (0 without clients).</summary>
    public long SlowestReceived()
    {
        var min = long.MaxValue;
        foreach (var client in _clients)
        {
            min = Math.Min(min, _lanes.TryGetValue(client, out var lane) ? client.LaneReceived(lane) : client.LiveReceived);
        }

        return min == long.MaxValue ? 0 : min;
    }

    /// <summary>Waits until the slowest client has received at least <paramref name="received"/> events (or one failed).</summary>
    public async Task WaitForAsync(long received, CancellationToken ct)
    {
        while (SlowestReceived() < received && !AnyFailed())
        {
            Volatile.Write(ref _waiting, 1);
            if (SlowestReceived() >= received || AnyFailed())
            {
                Volatile.Write(ref _waiting, 0);
                return;
            }

            // The timeout is only a guard against a missed wake-up; clients wake the emitter as they progress.
            await _progress.WaitAsync(TimeSpan.FromMilliseconds(200), ct).ConfigureAwait(false);
        }
    }

    /// <summary>Called by a client after it processed a batch: wakes a waiting emitter.</summary>
    public void Notify()
    {
        if (Volatile.Read(ref _waiting) == 1 && Interlocked.Exchange(ref _waiting, 0) == 1)
        {
            _progress.Release();
        }
    }

    private bool AnyFailed()
    {
        foreach (var client in _clients)
        {
            if (client.Error is not null)
            {
                return true;
            }
        }

        return false;
    }
}
