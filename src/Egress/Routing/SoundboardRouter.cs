namespace GatewayProxy.Egress.Routing;

/// <summary>Decides, per shard, which session a SOUNDBOARD_SOUNDS reply belongs to (op 31 replies carry no nonce).</summary>
/// <remarks>
/// Every client of the shard meets the same ring event at its own pace, so the decision is made once per ring sequence
/// (by whichever client gets there first) and remembered: the oldest pending request for that guild made before the
/// event was published. Cold path (op 31 is rare): one lock.
/// </remarks>
internal sealed class SoundboardRouter
{
    private const int MaxPending = 1024;

    private readonly Lock _lock = new();
    private readonly List<(ulong GuildId, long Session, long RequestedAfter)> _pending = [];
    private readonly RoutedSequences _assigned = new();

    /// <summary>Records that <paramref name="session"/> asked for <paramref name="guildId"/>'s sounds when the ring's cursor
    /// was <paramref name="ringCursor"/> (only later events can answer it).</summary>
    public void Request(ulong guildId, long session, long ringCursor)
    {
        lock (_lock)
        {
            if (_pending.Count >= MaxPending) _pending.RemoveAt(0);
            _pending.Add((guildId, session, ringCursor));
        }
    }

    /// <summary>The session the event at <paramref name="ringSeq"/> (for <paramref name="guildId"/>) goes to; 0 for none.</summary>
    public long Resolve(long ringSeq, ulong guildId)
    {
        lock (_lock)
        {
            if (_assigned.TryGet(ringSeq, out long owner)) return owner;
            owner = 0;
            for (int i = 0; i < _pending.Count; i++)
            {
                (ulong g, long session, long after) = _pending[i];
                if (g != guildId || after >= ringSeq) continue;
                owner = session;
                _pending.RemoveAt(i);
                break;
            }

            return _assigned.Remember(ringSeq, owner);
        }
    }
}
