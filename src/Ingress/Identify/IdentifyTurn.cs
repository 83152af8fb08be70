namespace GatewayProxy.Ingress.Identify;

/// <summary>Permission to send one IDENTIFY; the bucket's spacing starts when it is disposed.</summary>
/// <remarks>Spacing counts from the moment the turn ends (just after the IDENTIFY went out), not from when it was
/// granted, so connection time never squeezes two IDENTIFYs of one bucket closer than the interval.</remarks>
public sealed class IdentifyTurn : IDisposable
{
    private readonly Action? _release;
    private int _released;

    /// <summary>Creates a turn that runs <paramref name="release"/> once when disposed.</summary>
    public IdentifyTurn(Action? release) => _release = release;

    /// <summary>Ends the turn: the next shard of the bucket may identify one interval from now.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _released, 1) == 0)
        {
            _release?.Invoke();
        }
    }
}
