namespace GatewayProxy.Egress.Routing;

/// <summary>The owner decided for each routed ring sequence of one shard, so every client that meets the event (at its
/// own pace, or again in a RESUME replay) gets the same answer. Bounded: only recent sequences are kept.</summary>
/// <remarks>Not thread-safe: the router that owns it calls it under its own lock.</remarks>
internal sealed class RoutedSequences
{
    private const int MaxAssigned = 512;

    private readonly Dictionary<long, long> _assigned = [];

    /// <summary>The owner already decided for <paramref name="ringSeq"/>.</summary>
    public bool TryGet(long ringSeq, out long owner) => _assigned.TryGetValue(ringSeq, out owner);

    /// <summary>Remembers <paramref name="owner"/> for <paramref name="ringSeq"/> and returns it.</summary>
    public long Remember(long ringSeq, long owner)
    {
        if (_assigned.Count >= MaxAssigned) Prune(ringSeq);
        _assigned[ringSeq] = owner;
        return owner;
    }

    private void Prune(long newest)
    {
        // Keep the most recent half: older events have long been read by every client that could still resume.
        long cutoff = newest - (MaxAssigned / 2);
        List<long>? old = null;
        foreach (long key in _assigned.Keys)
        {
            if (key < cutoff) (old ??= []).Add(key);
        }

        if (old is null) return;
        foreach (long key in old) _assigned.Remove(key);
    }
}
