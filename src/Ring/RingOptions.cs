namespace GatewayProxy.Ring;

/// <summary>Tuning options for a <see cref="RingBuffer{T}"/>.</summary>
public sealed class RingOptions
{
    /// <summary>How waits are performed; <see cref="WaitStrategyKind.Async"/> by default.</summary>
    public WaitStrategyKind WaitStrategy { get; init; } = WaitStrategyKind.Async;

    /// <summary>The defaults.</summary>
    public static RingOptions Default { get; } = new();
}
