namespace GatewayProxy.Ingress.Shards;

/// <summary>
/// Whether a shard is ready for clients: its cache has applied READY and every READY guild has been answered
/// (GUILD_CREATE, or GUILD_DELETE unavailable), or the guild timeout passed. Lost again when the session is replaced.
/// </summary>
/// <remarks>Fed by the cache updater (in ring order) and by the shard when it decides to re-identify.</remarks>
internal sealed class ReadyTracker
{
    private readonly Lock _lock = new();
    private readonly HashSet<ulong> _pending = [];
    private TaskCompletionSource _ready = NewSource();
    private int _generation;
    private int _pendingCount;
    private bool _sawReady;

    /// <summary>True while the shard can serve a complete snapshot.</summary>
    public bool IsReady => _ready.Task.IsCompleted;

    /// <summary>READY guilds not yet answered.</summary>
    public int PendingGuilds => Volatile.Read(ref _pendingCount);

    /// <summary>Completes when the shard is ready (waits for the next readiness after a re-identify).</summary>
    public Task WaitAsync(CancellationToken ct)
    {
        Task task = Volatile.Read(ref _ready).Task;
        return task.IsCompleted ? task : task.WaitAsync(ct);
    }

    /// <summary>A READY was applied listing <paramref name="guildIds"/>; returns the generation for <see cref="OnTimeout"/>.</summary>
    public int OnReady(IEnumerable<ulong> guildIds)
    {
        lock (_lock)
        {
            _generation++;
            _sawReady = true;
            _pending.Clear();
            foreach (ulong id in guildIds)
            {
                _pending.Add(id);
            }

            Volatile.Write(ref _pendingCount, _pending.Count);
            if (_pending.Count == 0)
            {
                SetReadyLocked();
            }
            else
            {
                ResetLocked();
            }

            return _generation;
        }
    }

    /// <summary>A GUILD_CREATE or GUILD_DELETE for <paramref name="guildId"/> was applied.</summary>
    public void OnGuildAnswered(ulong guildId)
    {
        if (Volatile.Read(ref _pendingCount) == 0)
        {
            return;
        }

        lock (_lock)
        {
            if (_pending.Remove(guildId))
            {
                Volatile.Write(ref _pendingCount, _pending.Count);
                if (_pending.Count == 0)
                {
                    SetReadyLocked();
                }
            }
        }
    }

    /// <summary>The guild timeout of <paramref name="generation"/> passed: ready with what is there; returns how many guilds never came.</summary>
    public int OnTimeout(int generation)
    {
        lock (_lock)
        {
            if (generation != _generation || !_sawReady || _ready.Task.IsCompleted)
            {
                return 0;
            }

            int missing = _pending.Count;
            _pending.Clear();
            Volatile.Write(ref _pendingCount, 0);
            SetReadyLocked();
            return missing;
        }
    }

    /// <summary>A restored cache is complete as it is (resumed from a saved session).</summary>
    public void MarkReady()
    {
        lock (_lock)
        {
            _sawReady = true;
            SetReadyLocked();
        }
    }

    /// <summary>The session is being replaced: not ready until the next READY's guilds are answered.</summary>
    public void Invalidate()
    {
        lock (_lock)
        {
            _generation++;
            _sawReady = false;
            _pending.Clear();
            Volatile.Write(ref _pendingCount, 0);
            ResetLocked();
        }
    }

    private void SetReadyLocked() => _ready.TrySetResult();

    private void ResetLocked()
    {
        if (_ready.Task.IsCompleted)
        {
            Volatile.Write(ref _ready, NewSource());
        }
    }

    private static TaskCompletionSource NewSource() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
