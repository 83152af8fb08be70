using GatewayProxy.Ring;

namespace GatewayProxy.Egress.Relay;

/// <summary>Holds a shard's producer for a bounded time while one client sends its READY/GUILD_CREATE burst (or a RESUME
/// replay) and catches up, so a client that keeps up can always finish its snapshot.</summary>
/// <remarks>
/// Why: a big burst takes time to send; meanwhile a busy shard keeps publishing. With only a non-gating reader the ring
/// could overrun the client before it even reaches its first live event: it would be cut, reconnect, and start over,
/// forever (DESIGN "snapshot loop"). A gating reader at the snapshot position stops the producer from overwriting the
/// client's next event, and a trim from removing it (docs/architecture.md, "Ring memory"). It is held until the client
/// has caught up (lag within half the backpressure limit) or for at most <c>SnapshotHold</c>: the shard waits a bounded time for one client, never indefinitely. Gating readers are meant to be
/// few; these exist only while clients (re)connect.
/// </remarks>
internal sealed class SnapshotHold
{
    private readonly GatingReader _reader;

    private SnapshotHold(GatingReader reader, long deadline)
    {
        _reader = reader;
        Deadline = deadline;
    }

    /// <summary><see cref="Environment.TickCount64"/> after which the hold is released whatever the client's state.</summary>
    public long Deadline { get; }

    /// <summary>Holds <paramref name="ring"/> after <paramref name="position"/>; null when that position is already too old
    /// for a gating reader (its next event may have been overwritten or trimmed).</summary>
    public static SnapshotHold? TryCreate<TMeta>(PayloadRing<TMeta> ring, long position, TimeSpan duration)
        where TMeta : unmanaged
    {
        if (duration <= TimeSpan.Zero) return null;
        try
        {
            return new SnapshotHold(ring.AddGatingReader(position), Environment.TickCount64 + (long)duration.TotalMilliseconds);
        }
        catch (ArgumentOutOfRangeException)
        {
            return null;
        }
    }

    /// <summary>Holds <paramref name="ring"/> at its cursor as of now (always possible, however fast the producer runs).</summary>
    public static SnapshotHold? TryCreateAtCursor<TMeta>(PayloadRing<TMeta> ring, TimeSpan duration)
        where TMeta : unmanaged
    {
        if (duration <= TimeSpan.Zero) return null;
        return new SnapshotHold(ring.AddGatingReaderAtCursor(), Environment.TickCount64 + (long)duration.TotalMilliseconds);
    }

    /// <summary>The position the producer is held after.</summary>
    public long Position => _reader.Position;

    /// <summary>Lets the producer go up to <paramref name="position"/> + ring size.</summary>
    public void Advance(long position)
    {
        if (position > _reader.Position && !_reader.IsDisposed) _reader.Advance(position);
    }

    /// <summary>Releases the producer.</summary>
    public void Release() => _reader.Dispose();
}
