using System.Collections.Concurrent;

namespace GatewayProxy.Egress.Sessions;

/// <summary>Every session of the proxy, attached or detached, by id.</summary>
internal sealed class SessionRegistry
{
    private readonly ConcurrentDictionary<string, ClientSession> _sessions = new(StringComparer.Ordinal);
    private long _numbers;

    /// <summary>Number of sessions (detached ones included).</summary>
    public int Count => _sessions.Count;

    /// <summary>Every session, attached or detached.</summary>
    public IEnumerable<ClientSession> All => _sessions.Values;

    /// <summary>A new process-unique session number.</summary>
    public long NextNumber() => Interlocked.Increment(ref _numbers);

    /// <summary>Adds a session.</summary>
    public void Add(ClientSession session) => _sessions[session.Id] = session;

    /// <summary>Finds a live session.</summary>
    public bool TryGet(string id, out ClientSession? session) => _sessions.TryGetValue(id, out session) && !session.Ended;

    /// <summary>Ends and forgets a session.</summary>
    public void End(ClientSession session)
    {
        lock (session.SyncRoot)
        {
            session.Ended = true;
            session.DisposeReaders();
        }

        _sessions.TryRemove(new KeyValuePair<string, ClientSession>(session.Id, session));
    }

    /// <summary>Ends detached sessions older than <paramref name="ttl"/>; returns how many.</summary>
    public int Expire(long nowTicks, TimeSpan ttl)
    {
        int expired = 0;
        foreach (KeyValuePair<string, ClientSession> pair in _sessions)
        {
            ClientSession session = pair.Value;
            lock (session.SyncRoot)
            {
                // Decided and done under the lock a RESUME takes, so a session is never both resumed and expired.
                if (session.Ended || session.Connection is not null || nowTicks - session.DetachedAt < (long)ttl.TotalMilliseconds) continue;
                session.Ended = true;
                session.DisposeReaders();
            }

            _sessions.TryRemove(pair);
            expired++;
        }

        return expired;
    }

    /// <summary>Ends every detached session started before <paramref name="generation"/> (a replaced shard set); returns how many.</summary>
    public int EndDetachedBefore(int generation)
    {
        int ended = 0;
        foreach (KeyValuePair<string, ClientSession> pair in _sessions)
        {
            ClientSession session = pair.Value;
            if (session.Generation >= generation) continue;
            lock (session.SyncRoot)
            {
                if (session.Ended || session.Connection is not null) continue;
                session.Ended = true;
                session.DisposeReaders();
            }

            _sessions.TryRemove(pair);
            ended++;
        }

        return ended;
    }

    /// <summary>Ends every session (shutdown).</summary>
    public void Clear()
    {
        foreach (KeyValuePair<string, ClientSession> pair in _sessions) End(pair.Value);
    }
}
