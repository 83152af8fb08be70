namespace GatewayProxy.Perf.EndToEnd;

/// <summary>Which process relays the traffic in a run.</summary>
internal enum TargetKind
{
    /// <summary>The GatewayProxy executable.</summary>
    Proxy,

    /// <summary>Baseline: TCP bytes forwarded untouched both ways (each client is a Simulator session).</summary>
    Raw,

    /// <summary>Baseline: System.Net.WebSockets + System.Text.Json parse, rewrite <c>s</c>, serialize, send.</summary>
    Naive,
}
