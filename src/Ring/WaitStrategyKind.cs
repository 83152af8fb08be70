namespace GatewayProxy.Ring;

/// <summary>How a producer or reader waits when it cannot proceed.</summary>
public enum WaitStrategyKind
{
    /// <summary>Await asynchronously: no thread is held, nothing spins (the default; fits small, shared hosts).</summary>
    Async = 0,

    /// <summary>Spin, then yield the thread, on the caller's thread: lowest latency, burns a core (dedicated hosts).</summary>
    SpinThenYield = 1,
}
