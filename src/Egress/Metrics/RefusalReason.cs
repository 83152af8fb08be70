namespace GatewayProxy.Egress.Metrics;

/// <summary>Why a connection ended before it became a client (the <c>reason</c> label of gateway_connections_refused_total).</summary>
internal enum RefusalReason
{
    /// <summary>Its remote IP already had <see cref="EgressOptions.MaxConnectionsPerIp"/> connections open (HTTP 429).</summary>
    PerIpLimit,
    /// <summary>The HTTP request was not complete in time (slowloris): dropped without an answer.</summary>
    HandshakeTimeout,
    /// <summary>The HTTP request broke a rule or a limit (400, 405, 414, 431...).</summary>
    BadRequest,
    /// <summary>A GET without a valid WebSocket upgrade, or with gateway parameters the proxy does not serve.</summary>
    BadUpgrade,
    /// <summary>With TLS: the handshake failed (a plain-text client, an untrusted certificate) or did not finish in time.</summary>
    TlsHandshake,
    /// <summary>The GC heap was near the memory limit: the upgrade was answered with HTTP 503.</summary>
    LowMemory,
}

/// <summary>Label values for <see cref="RefusalReason"/>.</summary>
internal static class RefusalReasons
{
    private static readonly string[] Labels = ["per_ip_limit", "handshake_timeout", "bad_request", "bad_upgrade", "tls_handshake", "low_memory"];

    /// <summary>Number of reasons.</summary>
    public static int Count => Labels.Length;

    /// <summary>The metric label of a reason.</summary>
    public static string ToLabel(RefusalReason reason) => Labels[(int)reason];
}
