namespace GatewayProxy.Ingress.Identify;

/// <summary>Permission to send one IDENTIFY. Call <see cref="Sent"/> once the frame is on the wire; dispose always.</summary>
/// <remarks>The bucket's spacing counts from the report, never from the grant: a shard stalled between its grant and its
/// send (a busy thread pool, a slow socket) must not squeeze the next IDENTIFY of its bucket closer than the spacing.
/// A turn disposed without <see cref="Sent"/> (the connection ended, or the send failed half-way) counts from the
/// disposal, because the frame may still have left.</remarks>
public sealed class IdentifyTurn : IDisposable
{
    private readonly Action<bool>? _end;
    private int _ended;

    /// <summary>Creates a turn that runs <paramref name="end"/> once: with true from <see cref="Sent"/>, with false from <see cref="Dispose"/>.</summary>
    public IdentifyTurn(Action<bool>? end) => _end = end;

    /// <summary>The IDENTIFY was written to the socket (the transport took it) just before this call: the next shard of
    /// the bucket may identify one spacing from now.</summary>
    public void Sent() => End(sent: true);

    /// <summary>Ends the turn if <see cref="Sent"/> did not.</summary>
    public void Dispose() => End(sent: false);

    private void End(bool sent)
    {
        if (Interlocked.Exchange(ref _ended, 1) == 0)
        {
            _end?.Invoke(sent);
        }
    }
}
