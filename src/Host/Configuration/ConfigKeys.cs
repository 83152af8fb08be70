namespace GatewayProxy.Host.Configuration;

/// <summary>
/// The keys config.json may contain, per object. <see cref="ConfigValidator"/> rejects anything else; a test checks
/// these lists against the source-generated model so the two cannot drift apart.
/// </summary>
internal static class ConfigKeys
{
    /// <summary>Keys of the top-level object.</summary>
    public static readonly string[] Root =
    [
        "log_level", "token", "intents", "shards", "shard_start", "shard_end", "bind", "port", "activity", "status",
        "backpressure", "twilight_http_proxy", "validate_token", "externally_accessible_url", "cache", "ring_size",
        "ring_sizes", "ring_memory_limit_mb", "memory_limit_mb", "session_ttl_seconds", "upstream", "state_file", "state_max_age_seconds",
        "max_connections_per_ip", "unauthenticated_timeout_seconds", "tls", "client_shards",
        "admin", "auto_reshard",
    ];

    /// <summary>Keys of <c>activity</c>.</summary>
    public static readonly string[] Activity = ["type", "name", "url"];

    /// <summary>Keys of <c>cache</c>.</summary>
    public static readonly string[] Cache =
    [
        "channels", "presences", "emojis", "current_member", "members", "roles", "scheduled_events",
        "soundboard_sounds", "stage_instances", "stickers", "users", "voice_states", "compress_cold_after_seconds",
    ];

    /// <summary>Keys of <c>upstream</c>.</summary>
    public static readonly string[] Upstream = ["api_base_url", "gateway_url", "compression", "identify_queue_url", "identify_margin_ms"];

    /// <summary>Keys of <c>tls</c>.</summary>
    public static readonly string[] Tls = ["cert_file", "key_file"];

    /// <summary>Keys of <c>admin</c>.</summary>
    public static readonly string[] Admin = ["listen", "token"];

    /// <summary>Every valid key as a full path ("cache.members"), for suggestions across objects.</summary>
    public static readonly string[] AllPaths = BuildAllPaths();

    private static string[] BuildAllPaths()
    {
        var paths = new List<string>(Root);
        foreach (var key in Activity)
        {
            paths.Add("activity." + key);
        }

        foreach (var key in Cache)
        {
            paths.Add("cache." + key);
        }

        foreach (var key in Upstream)
        {
            paths.Add("upstream." + key);
        }

        foreach (var key in Tls)
        {
            paths.Add("tls." + key);
        }

        foreach (var key in Admin)
        {
            paths.Add("admin." + key);
        }

        return [.. paths];
    }
}
