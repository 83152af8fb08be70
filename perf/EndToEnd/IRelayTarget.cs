namespace GatewayProxy.Perf.EndToEnd;

/// <summary>Something clients connect to instead of the Simulator: the proxy, or one of the baselines, each a child process.</summary>
internal interface IRelayTarget : IAsyncDisposable
{
    /// <summary>Short name for the report (proxy, raw, naive).</summary>
    string Name { get; }

    /// <summary>Where clients connect (<c>ws://127.0.0.1:PORT</c>).</summary>
    Uri ClientUrl { get; }

    /// <summary>Reads the process's counters now.</summary>
    Task<TargetStats> ReadStatsAsync();
}
