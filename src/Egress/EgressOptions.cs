using GatewayProxy.Protocol.Gateway;
using System.Net;
using GatewayProxy.Protocol.Http;
using Prometheus;

namespace GatewayProxy.Egress;

/// <summary>How the client-facing side listens and treats clients.</summary>
public sealed class EgressOptions
{
    /// <summary>The shard count the proxy advertises to clients (<c>/gateway/bot</c> <c>shards</c>, <c>/shard-count</c>); null: the
    /// upstream count. Clients may IDENTIFY with any count from 1 to 4096 either way (docs/architecture.md, "Virtual shards").</summary>
    public int? ClientShards { get; set; }

    /// <summary>Address to listen on.</summary>
    public IPAddress BindAddress { get; set; } = IPAddress.Any;

    /// <summary>Port to listen on; 0 picks a free one (tests).</summary>
    public int Port { get; set; } = 7878;

    /// <summary>The bot token clients must IDENTIFY with (with or without a <c>Bot </c> prefix).</summary>
    public string Token { get; set; } = string.Empty;

    /// <summary>When false, any token is accepted (the reference implementation's <c>validate_token</c>).</summary>
    public bool ValidateToken { get; set; } = true;

    /// <summary>A client whose output is backed up and that lags more than this many events is closed with <see cref="GatewayCloseCode.UnknownError"/>.</summary>
    public int Backpressure { get; set; } = 100;

    /// <summary>How long a session stays resumable after its socket is gone.</summary>
    public TimeSpan SessionTtl { get; set; } = TimeSpan.FromSeconds(120);

    /// <summary>The URL clients are told to resume at (READY <c>resume_gateway_url</c>); default ws://{bind or 127.0.0.1}:{port}.</summary>
    public string? ExternallyAccessibleUrl { get; set; }

    /// <summary>HELLO <c>heartbeat_interval</c>.</summary>
    public int HeartbeatIntervalMs { get; set; } = 41250;

    /// <summary>Slack beyond 1.5 heartbeat intervals before a silent client is closed with <see cref="GatewayCloseCode.SessionTimedOut"/>.</summary>
    public TimeSpan HeartbeatGrace { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Relay workers (each drains many clients).</summary>
    public int WorkerCount { get; set; } = Math.Max(1, Environment.ProcessorCount);

    /// <summary>Largest payload a client may send (Discord: 4096 bytes; more is closed with <see cref="GatewayCloseCode.DecodeError"/>).</summary>
    public int MaxClientPayloadBytes { get; set; } = 4096;

    /// <summary>Size limits for the HTTP request line and headers.</summary>
    public HttpRequestLimits HttpLimits { get; set; } = HttpRequestLimits.Default;

    /// <summary>Where egress metrics are registered (and what /metrics serves).</summary>
    public CollectorRegistry Metrics { get; set; } = Prometheus.Metrics.DefaultRegistry;

    /// <summary>The bot's user id for GUILD_CREATE member rules, when the cache's READY user should not be used.</summary>
    public ulong? BotUserIdOverride { get; set; }

    /// <summary>A connection whose HTTP request is not complete after this long is dropped (slowloris).</summary>
    public TimeSpan HandshakeTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How long a client sending its READY/GUILD_CREATE burst (or a RESUME replay) may hold its shard's producer.</summary>
    public TimeSpan SnapshotHold { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How long a closing connection waits for its close frame to be delivered before the socket is dropped.</summary>
    public TimeSpan CloseTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Payloads larger than this are zlib-compressed when a client asked for IDENTIFY <c>compress: true</c>.</summary>
    public int PayloadCompressionThreshold { get; set; } = 1024;

    /// <summary>zlib level for zlib-stream and IDENTIFY compress:true (0–9). Default 1: with a sync flush per message, zlib-ng's
    /// level 6 costs about 45 µs per 1 KB event per client against a few µs at level 1, for roughly a third fewer bytes
    /// (perf/README.md, Egress relay); the CPU is the proxy's bottleneck long before bandwidth to bots is.</summary>
    public int ZlibLevel { get; set; } = 1;

    /// <summary>zstd level for zstd-stream (1–19).</summary>
    public int ZstdLevel { get; set; } = 3;

    /// <summary>Most open TCP connections one remote IP may hold (any state); one more is answered with HTTP 429. Generous by
    /// default: a big bot runs hundreds of shards from one host, each a connection.</summary>
    public int MaxConnectionsPerIp { get; set; } = 1024;

    /// <summary>Time from TCP accept to a valid IDENTIFY or RESUME; past it the connection is closed with <see cref="GatewayCloseCode.NotAuthenticated"/> (or dropped
    /// before the upgrade), so a peer without the token cannot hold sockets open by heartbeating.</summary>
    public TimeSpan UnauthenticatedTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long HELLO waits after the 101 response was sent on its own, so that a library which reads the 101 and
    /// drops whatever came with it still gets HELLO in a later read; zero sends HELLO at once (still in a send of its own).</summary>
    public TimeSpan HelloDelay { get; set; } = TimeSpan.FromMilliseconds(20);

    /// <summary>PEM certificate file (leaf first, then intermediates) for https/wss on the client port; null serves plain
    /// http/ws. Set together with <see cref="TlsKeyFile"/>.</summary>
    public string? TlsCertificateFile { get; set; }

    /// <summary>PEM private key file of <see cref="TlsCertificateFile"/>.</summary>
    public string? TlsKeyFile { get; set; }

    /// <summary>How often the certificate files are checked for changes besides the file watcher's events.</summary>
    public TimeSpan TlsPollInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>The memory limit the GC heap is held under, in bytes (<c>memory_limit_mb</c>); 0 uses the GC's own limit (the heap
    /// hard limit when one is set, else the machine's memory). See docs/operations.md, "Memory limit".</summary>
    public long MemoryLimit { get; set; }

    /// <summary>Fraction of <see cref="MemoryLimit"/> from which new clients are refused with HTTP 503. Well below 1: the limit
    /// is what the GC may commit, and it needs room beyond the live objects (its allocation budget, regions part-filled,
    /// holes between pinned socket buffers); a heap of 60% live was measured to fail allocations at the limit.</summary>
    public double MemoryRefuseAt { get; set; } = 0.60;

    /// <summary>Fraction of <see cref="MemoryLimit"/> (after a full collection) from which the largest client backlogs are cut with 4000.</summary>
    public double MemoryShedAt { get; set; } = 0.70;

    /// <summary>Fraction of <see cref="MemoryLimit"/> below which refused clients are accepted again.</summary>
    public double MemoryResumeAt { get; set; } = 0.50;

    /// <summary>How often the GC heap is compared with the limit.</summary>
    public TimeSpan MemoryCheckInterval { get; set; } = TimeSpan.FromMilliseconds(250);

    /// <summary>Where the memory guard reads the heap (tests replace it; null: the GC).</summary>
    internal Server.IHeapProbe? HeapProbe { get; set; }

    /// <summary>The bearer token <c>/admin/*</c> requires (<c>Authorization: Bearer &lt;token&gt;</c>); null disables the admin
    /// endpoints everywhere (docs/operations.md, "Virtual shards and resharding").</summary>
    public string? AdminToken { get; set; }

    /// <summary>Where <c>/admin/*</c> is served (plain http, its own listener); null serves it on the client port. Either way
    /// it needs <see cref="AdminToken"/>.</summary>
    public IPEndPoint? AdminEndPoint { get; set; }

    /// <summary>What <c>/admin/reshard</c> does; null answers 503.</summary>
    public Http.IAdminHandler? AdminHandler { get; set; }

    /// <summary>True when the client port speaks TLS.</summary>
    public bool Tls => TlsCertificateFile is not null;

    /// <summary>Checks the options; throws naming the first bad one.</summary>
    public void Validate()
    {
        ArgumentNullException.ThrowIfNull(BindAddress);
        ArgumentOutOfRangeException.ThrowIfNegative(Port);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(Port, 65535);
        ArgumentNullException.ThrowIfNull(Token);
        ArgumentOutOfRangeException.ThrowIfLessThan(Backpressure, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(HeartbeatIntervalMs, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(WorkerCount, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxClientPayloadBytes, 16);
        ArgumentNullException.ThrowIfNull(HttpLimits);
        ArgumentOutOfRangeException.ThrowIfNegative(ZlibLevel);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(ZlibLevel, 9);
        ArgumentOutOfRangeException.ThrowIfLessThan(ZstdLevel, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(ZstdLevel, 19);
        ArgumentNullException.ThrowIfNull(Metrics);
        if (SessionTtl < TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(SessionTtl), SessionTtl, "must not be negative");
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxConnectionsPerIp, 1);
        if (UnauthenticatedTimeout <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(UnauthenticatedTimeout), UnauthenticatedTimeout, "must be positive");
        if (HelloDelay < TimeSpan.Zero || HelloDelay > TimeSpan.FromSeconds(5)) throw new ArgumentOutOfRangeException(nameof(HelloDelay), HelloDelay, "must be 0 to 5 s");
        if (HandshakeTimeout <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(HandshakeTimeout), HandshakeTimeout, "must be positive");
        if ((TlsCertificateFile is null) != (TlsKeyFile is null)) throw new ArgumentException("TlsCertificateFile and TlsKeyFile are set together.", nameof(TlsKeyFile));
        if (TlsPollInterval <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(TlsPollInterval), TlsPollInterval, "must be positive");
        ArgumentOutOfRangeException.ThrowIfNegative(MemoryLimit);
        if (!(MemoryResumeAt > 0 && MemoryResumeAt < MemoryRefuseAt && MemoryRefuseAt < MemoryShedAt && MemoryShedAt < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(MemoryShedAt), MemoryShedAt, "wanted 0 < MemoryResumeAt < MemoryRefuseAt < MemoryShedAt < 1");
        }

        if (MemoryCheckInterval <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(MemoryCheckInterval), MemoryCheckInterval, "must be positive");
        if (AdminToken is not null && AdminToken.Trim().Length < 16) throw new ArgumentException("AdminToken must be at least 16 characters.", nameof(AdminToken));
        if (AdminEndPoint is not null && AdminToken is null) throw new ArgumentException("AdminEndPoint needs AdminToken.", nameof(AdminEndPoint));
        if (ValidateToken && string.IsNullOrWhiteSpace(Token)) throw new ArgumentException("Token is required when ValidateToken is on.", nameof(Token));
    }
}
