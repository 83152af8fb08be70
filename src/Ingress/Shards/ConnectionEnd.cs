namespace GatewayProxy.Ingress.Shards;

/// <summary>How one upstream connection ended: the reason, the close code when the server sent one, and details for the log.</summary>
internal readonly record struct ConnectionEnd(DisconnectReason Reason, int CloseCode = 0, string? Detail = null)
{
    /// <summary>The metric label for <c>gateway_upstream_reconnects_total{reason}</c>.</summary>
    public string MetricReason => Reason switch
    {
        DisconnectReason.ReconnectRequested => "reconnect_requested",
        DisconnectReason.InvalidSessionResumable => "invalid_session_resumable",
        DisconnectReason.InvalidSession => "invalid_session",
        DisconnectReason.ServerClosed => "closed",
        DisconnectReason.Dropped => "dropped",
        DisconnectReason.Zombie => "zombie",
        DisconnectReason.ProtocolError => "protocol_error",
        DisconnectReason.Stopping => "stopping",
        _ => "unknown",
    };

    /// <summary>A line for the log.</summary>
    public override string ToString() => CloseCode != 0
        ? $"{MetricReason} ({CloseCode}{(string.IsNullOrEmpty(Detail) ? string.Empty : ": " + Detail)})"
        : string.IsNullOrEmpty(Detail) ? MetricReason : $"{MetricReason} ({Detail})";
}
