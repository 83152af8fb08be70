using System.Text.Json;
using System.Text.Json.Serialization;
using GatewayProxy.Host.Logging;

namespace GatewayProxy.Host.Configuration;

/// <summary>
/// The proxy's configuration, as loaded from config.json by <see cref="ConfigLoader"/>. Every field of the
/// reference implementation loads unchanged; every optional field has its default here. See docs/configuration.md.
/// </summary>
public sealed record ProxyConfig
{
    /// <summary>Default per-shard ring size.</summary>
    public const int DefaultRingSize = 4096;

    /// <summary>Smallest accepted ring size.</summary>
    public const int MinRingSize = 16;

    /// <summary>Largest accepted ring size.</summary>
    public const int MaxRingSize = 1 << 20;

    /// <summary>Minimum level of log lines; hot-reloadable (reference).</summary>
    [JsonPropertyName("log_level")]
    [JsonConverter(typeof(LogLevelJsonConverter))]
    public ProxyLogLevel LogLevel { get; init; } = ProxyLogLevel.Info;

    /// <summary>The bot token, without "Bot "; the TOKEN environment variable wins when set (reference). Never log it.</summary>
    [JsonPropertyName("token")]
    public string Token { get; init; } = "";

    /// <summary>Gateway intents bitfield sent upstream (reference; required).</summary>
    [JsonPropertyName("intents")]
    public uint Intents { get; init; }

    /// <summary>Total shard count; null uses Discord's recommendation from /gateway/bot (reference).</summary>
    [JsonPropertyName("shards")]
    public int? Shards { get; init; }

    /// <summary>First shard this process runs; null means 0 (reference).</summary>
    [JsonPropertyName("shard_start")]
    public int? ShardStart { get; init; }

    /// <summary>One past the last shard this process runs; null means the total shard count (reference).</summary>
    [JsonPropertyName("shard_end")]
    public int? ShardEnd { get; init; }

    /// <summary>Address the client listener binds to.</summary>
    [JsonPropertyName("bind")]
    public string Bind { get; init; } = "0.0.0.0";

    /// <summary>Port of the client listener, /metrics, /health and /shard-count (reference).</summary>
    [JsonPropertyName("port")]
    public int Port { get; init; } = 7878;

    /// <summary>Activity every shard identifies with; null sends none (reference).</summary>
    [JsonPropertyName("activity")]
    public ActivityConfig? Activity { get; init; }

    /// <summary>Status every shard identifies with (reference).</summary>
    [JsonPropertyName("status")]
    public PresenceStatus Status { get; init; } = PresenceStatus.Online;

    /// <summary>How many events a client may fall behind before it is closed with 4000 (reference).</summary>
    [JsonPropertyName("backpressure")]
    public int Backpressure { get; init; } = 100;

    /// <summary>"host:port" of a twilight-http-proxy to send REST calls through; null calls <see cref="UpstreamConfig.ApiBaseUrl"/> directly (reference).</summary>
    [JsonPropertyName("twilight_http_proxy")]
    public string? TwilightHttpProxy { get; init; }

    /// <summary>Whether clients must IDENTIFY with the proxy's own token (reference).</summary>
    [JsonPropertyName("validate_token")]
    public bool ValidateToken { get; init; } = true;

    /// <summary>URL clients are told to resume at (the READY's resume_gateway_url); null uses the address they connected to (reference).</summary>
    [JsonPropertyName("externally_accessible_url")]
    public string? ExternallyAccessibleUrl { get; init; }

    /// <summary>What the guild cache keeps (reference).</summary>
    [JsonPropertyName("cache")]
    public CacheConfig Cache { get; init; } = new();

    /// <summary>Ring slots per shard, a power of two.</summary>
    [JsonPropertyName("ring_size")]
    public int RingSize { get; init; } = DefaultRingSize;

    /// <summary>Per-shard ring size overrides (shard id → power of two), for a few very busy shards.</summary>
    [JsonPropertyName("ring_sizes")]
    public IReadOnlyDictionary<int, int>? RingSizes { get; init; }

    /// <summary>How long a client session outlives its socket and can be resumed.</summary>
    [JsonPropertyName("session_ttl_seconds")]
    public int SessionTtlSeconds { get; init; } = 120;

    /// <summary>How the proxy talks to Discord.</summary>
    [JsonPropertyName("upstream")]
    public UpstreamConfig Upstream { get; init; } = new();

    /// <summary>Where sessions and cache are saved on SIGTERM and restored on start; null disables it.</summary>
    [JsonPropertyName("state_file")]
    public string? StateFile { get; init; }

    /// <summary>A state file older than this is ignored (Discord sessions do not live much longer).</summary>
    [JsonPropertyName("state_max_age_seconds")]
    public int StateMaxAgeSeconds { get; init; } = 300;

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
    public ProxyConfig Redacted() => this with { Token = Token.Length == 0 ? "" : ProxyLog.RedactedMarker };

    /// <summary>The redacted configuration as JSON in config.json's format; never contains the token.</summary>
    public override string ToString() => JsonSerializer.Serialize(Redacted(), ConfigJsonContext.Default.ProxyConfig);
}
