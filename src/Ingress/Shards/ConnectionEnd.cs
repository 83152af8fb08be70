namespace GatewayProxy.Ingress.Shards;

/// <summary>How one upstream connection ended: the reason, the close code when the server sent one, and details for the log.</summary>
internal readonly record struct ConnectionEnd(UpstreamEndReason Reason, int CloseCode = 0, string? Detail = null)
{
    /// <summary>The metric label for <c>gateway_upstream_reconnects_total{reason}</c>.</summary>
    public string MetricReason => Reason switch
    {
        UpstreamEndReason.ReconnectRequested => "reconnect_requested",
        UpstreamEndReason.InvalidSessionResumable => "invalid_session_resumable",
        UpstreamEndReason.InvalidSession => "invalid_session",
        UpstreamEndReason.ServerClosed => "closed",
        UpstreamEndReason.Dropped => "dropped",
        UpstreamEndReason.Zombie => "zombie",
        UpstreamEndReason.ProtocolError => "protocol_error",
        UpstreamEndReason.Stopping => "stopping",
        _ => "unknown",
    };

    /// <summary>A line for the log.</summary>
    public override string ToString() => CloseCode != 0
        ? $"{MetricReason} ({CloseCode}{(string.IsNullOrEmpty(Detail) ? string.Empty : ": " + Detail)})"
        : string.IsNullOrEmpty(Detail) ? MetricReason : $"{MetricReason} ({Detail})";
}
