using System.Text.Json;
using System.Text.Json.Serialization;
using GatewayProxy.Host.Logging;

namespace GatewayProxy.Host.Configuration;

/// <summary>
/// The proxy's configuration, as loaded from config.json by <see cref="ConfigLoader"/>. Every field of the
/// reference implementation loads unchanged; every optional field has its default here. See docs/configuration.md.
/// </summary>
/// <remarks>
/// Positional with default values on purpose: System.Text.Json's source generator builds init-only types through
/// their constructor, and only constructor parameter defaults (not property initializers) survive a missing key.
/// </remarks>
/// <param name="LogLevel">Minimum level of log lines; hot-reloadable (reference).</param>
/// <param name="Token">The bot token, without "Bot "; the TOKEN environment variable wins when set (reference). Never log it.</param>
/// <param name="Intents">Gateway intents bitfield sent upstream (reference; required in config.json).</param>
/// <param name="Shards">Total shard count; null uses Discord's recommendation from /gateway/bot (reference).</param>
/// <param name="ShardStart">First shard this process runs; null means 0 (reference).</param>
/// <param name="ShardEnd">One past the last shard this process runs; null means the total shard count (reference).</param>
/// <param name="Bind">Address the client listener binds to.</param>
/// <param name="Port">Port of the client listener, /metrics, /health and /shard-count (reference).</param>
/// <param name="Activity">Activity every shard identifies with; null sends none (reference).</param>
/// <param name="Status">Status every shard identifies with (reference).</param>
/// <param name="Backpressure">How many events a client may fall behind before it is closed with 4000 (reference).</param>
/// <param name="TwilightHttpProxy">"host:port" of a twilight-http-proxy to send REST calls through; null calls the API directly (reference).</param>
/// <param name="ValidateToken">Whether clients must IDENTIFY with the proxy's own token (reference).</param>
/// <param name="ExternallyAccessibleUrl">URL clients are told to resume at (the READY's resume_gateway_url); null uses the address they connected to (reference).</param>
/// <param name="Cache">What the guild cache keeps; null means the defaults (reference).</param>
/// <param name="RingSize">Ring slots per shard, a power of two.</param>
/// <param name="RingSizes">Per-shard ring size overrides (shard id → power of two), for a few very busy shards.</param>
/// <param name="RingMemoryLimitMb">The most MiB the rings of all shards hold together; at the limit the largest rings' oldest events are trimmed.</param>
/// <param name="MemoryLimitMb">The GC heap hard limit in MiB; near it new clients are refused and the largest client backlogs cut; null keeps the runtime's own limit.</param>
/// <param name="SessionTtlSeconds">How long a client session outlives its socket and can be resumed.</param>
/// <param name="Upstream">How the proxy talks to Discord; null means the defaults.</param>
/// <param name="StateFile">Where sessions and cache are saved on SIGTERM and restored on start; null disables it.</param>
/// <param name="StateMaxAgeSeconds">A state file older than this is ignored: its sessions are unlikely to resume and its cache is out of date.</param>
/// <param name="ClientShards">The shard count <c>/gateway/bot</c> and <c>/shard-count</c> tell clients to use (null: the upstream count).</param>
/// <param name="MaxConnectionsPerIp">Most open connections one remote IP may hold on the client port; more get HTTP 429.</param>
/// <param name="UnauthenticatedTimeoutSeconds">Time from TCP accept to a valid IDENTIFY or RESUME before the connection is closed (4003).</param>
/// <param name="Tls">Certificate and key for https/wss on the client port; null serves plain http/ws.</param>
/// <param name="Admin">The admin endpoints (<c>/admin/reshard</c>); null disables them.</param>
/// <param name="AutoReshard">Reshard on its own when Discord's recommended shard count (/gateway/bot) passes the current one.</param>
public sealed record ProxyConfig(
    [property: JsonPropertyName("log_level"), JsonConverter(typeof(LogLevelJsonConverter))] ProxyLogLevel LogLevel = ProxyLogLevel.Info,
    [property: JsonPropertyName("token")] string Token = "",
    [property: JsonPropertyName("intents")] uint Intents = 0,
    [property: JsonPropertyName("shards")] int? Shards = null,
    [property: JsonPropertyName("shard_start")] int? ShardStart = null,
    [property: JsonPropertyName("shard_end")] int? ShardEnd = null,
    [property: JsonPropertyName("bind")] string Bind = "0.0.0.0",
    [property: JsonPropertyName("port")] int Port = 7878,
    [property: JsonPropertyName("activity")] ActivityConfig? Activity = null,
    [property: JsonPropertyName("status")] PresenceStatus Status = PresenceStatus.Online,
    [property: JsonPropertyName("backpressure")] int Backpressure = 100,
    [property: JsonPropertyName("twilight_http_proxy")] string? TwilightHttpProxy = null,
    [property: JsonPropertyName("validate_token")] bool ValidateToken = true,
    [property: JsonPropertyName("externally_accessible_url")] string? ExternallyAccessibleUrl = null,
    CacheConfig? Cache = null,
    [property: JsonPropertyName("ring_size")] int RingSize = ProxyConfig.DefaultRingSize,
    [property: JsonPropertyName("ring_sizes")] IReadOnlyDictionary<int, int>? RingSizes = null,
    [property: JsonPropertyName("ring_memory_limit_mb")] int RingMemoryLimitMb = ProxyConfig.DefaultRingMemoryLimitMb,
    [property: JsonPropertyName("memory_limit_mb")] int? MemoryLimitMb = null,
    [property: JsonPropertyName("session_ttl_seconds")] int SessionTtlSeconds = 120,
    UpstreamConfig? Upstream = null,
    [property: JsonPropertyName("state_file")] string? StateFile = null,
    [property: JsonPropertyName("state_max_age_seconds")] int StateMaxAgeSeconds = 120,
    [property: JsonPropertyName("max_connections_per_ip")] int MaxConnectionsPerIp = 1024,
    [property: JsonPropertyName("unauthenticated_timeout_seconds")] int UnauthenticatedTimeoutSeconds = 30,
    [property: JsonPropertyName("tls")] TlsConfig? Tls = null,
    [property: JsonPropertyName("client_shards")] int? ClientShards = null,
    [property: JsonPropertyName("admin")] AdminConfig? Admin = null,
    [property: JsonPropertyName("auto_reshard")] bool AutoReshard = false)
{
    /// <summary>Default per-shard ring size.</summary>
    public const int DefaultRingSize = 4096;

    /// <summary>Smallest accepted ring size.</summary>
    public const int MinRingSize = 16;

    /// <summary>Largest accepted ring size.</summary>
    public const int MaxRingSize = 1 << 20;

    /// <summary>Default <c>ring_memory_limit_mb</c> (4 GiB): a full default ring (4096 events) of ~1 KB events for each
    /// of 1,000 shards; quiet shards hold far less (docs/operations.md, "Tuning for large bots").</summary>
    public const int DefaultRingMemoryLimitMb = 4096;

    /// <summary>Smallest accepted <c>ring_memory_limit_mb</c>.</summary>
    public const int MinRingMemoryLimitMb = 16;

    /// <summary>Largest accepted <c>ring_memory_limit_mb</c> (1 TiB).</summary>
    public const int MaxRingMemoryLimitMb = 1 << 20;

    /// <summary>Smallest accepted <c>memory_limit_mb</c>: the proxy's own heap with a few shards and clients.</summary>
    public const int MinMemoryLimitMb = 64;

    /// <summary>Largest accepted <c>memory_limit_mb</c> (1 TiB).</summary>
    public const int MaxMemoryLimitMb = 1 << 20;

    /// <summary>What the guild cache keeps (reference); never null.</summary>
    [JsonPropertyName("cache")]
    public CacheConfig Cache { get; init; } = Cache ?? new();

    /// <summary>How the proxy talks to Discord; never null.</summary>
    [JsonPropertyName("upstream")]
    public UpstreamConfig Upstream { get; init; } = Upstream ?? new();

    /// <summary>The ring size of one shard: its <see cref="RingSizes"/> override, else <see cref="RingSize"/>.</summary>
    public int RingSizeFor(int shardId) =>
        RingSizes is not null && RingSizes.TryGetValue(shardId, out var size) ? size : RingSize;

    /// <summary>
    /// The shard range <c>[start, end)</c> this process runs once the total shard count is known
    /// (<see cref="Shards"/>, or Discord's recommendation); false with a reason when the configured range does not fit.
    /// </summary>
    public bool TryGetShardRange(int totalShards, out int start, out int end, out string? error)
    {
        start = ShardStart ?? 0;
        end = ShardEnd ?? totalShards;
        if (totalShards < 1)
        {
            error = $"the shard count is {totalShards}, wanted at least 1";
            return false;
        }

        if (end > totalShards || start >= end)
        {
            error = $"shards [{start}, {end}) do not fit in a bot with {totalShards} shards: set \"shard_start\" and \"shard_end\" within 0..{totalShards}";
            return false;
        }

        error = null;
        return true;
    }

    /// <summary>A copy whose token is replaced with "[redacted]" (left empty when empty), safe to log or serialize.</summary>
    public ProxyConfig Redacted() => this with
    {
        Token = Token.Length == 0 ? "" : ProxyLog.RedactedMarker,
        Admin = Admin is null ? null : Admin with { Token = Admin.Token.Length == 0 ? "" : ProxyLog.RedactedMarker },
    };

    /// <summary>The redacted configuration as JSON in config.json's format; never contains the token.</summary>
    public override string ToString() => JsonSerializer.Serialize(Redacted(), ConfigJsonContext.Default.ProxyConfig);
}
