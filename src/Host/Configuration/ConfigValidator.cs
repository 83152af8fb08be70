using System.Globalization;
using System.Text.Json;
using GatewayProxy.Host.Logging;

namespace GatewayProxy.Host.Configuration;

/// <summary>
/// The strict check of config.json, done on the <see cref="JsonDocument"/> before anything is mapped to the model,
/// so that every problem is reported at once and each names its JSON path, the value found and what is wanted.
/// </summary>
internal sealed partial class ConfigValidator
{
    private const long MaxShards = 1_000_000;
    private const string PowerOfTwoWanted = "a power of two between 16 and 1048576 (e.g. 1024)";
    private static readonly string[] Statuses = ["online", "idle", "dnd", "invisible", "offline"];
    private static readonly string[] Compressions = ["zlib-stream", "zstd-stream", "none"];
    private static readonly string[] LogLevelNames = ["trace", "debug", "info", "warn", "warning", "error"];

    /// <summary>
    /// Checks the whole document and returns every error (empty when valid). <paramref name="environmentToken"/>
    /// is the TOKEN environment variable, which wins over the file's token when set; <paramref name="token"/> is the one to use.
    /// </summary>
    public static IReadOnlyList<string> Validate(JsonElement root, string source, string? environmentToken, out string token)
    {
        var validator = new ConfigValidator(source);
        token = validator.CheckRoot(root, environmentToken);
        return validator._errors;
    }

    private string CheckRoot(JsonElement root, string? environmentToken)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            Error($"the document is {Show("", root)}, wanted an object with the settings (see docs/configuration.md)");
            return CheckToken(null, environmentToken);
        }

        var fields = Fields(root, "", ConfigKeys.Root);

        ReadString(fields, "", "log_level", nullable: false, ProxyLogLevels.Accepted,
            static s => ProxyLogLevels.TryParse(s, out _), LogLevelNames);
        var token = CheckToken(fields, environmentToken);
        ReadInteger(fields, "", "intents", 0, (1L << 26) - 1, nullable: false,
            "an integer between 0 and 67108863 (the gateway intents bitfield, e.g. 32511)");
        if (!fields.ContainsKey("intents"))
        {
            Error("\"intents\" is missing, wanted an integer between 0 and 67108863 (the gateway intents bitfield, e.g. 32511)");
        }

        var shards = ReadInteger(fields, "", "shards", 1, MaxShards, nullable: true);
        var shardStart = ReadInteger(fields, "", "shard_start", 0, MaxShards - 1, nullable: true);
        var shardEnd = ReadInteger(fields, "", "shard_end", 1, MaxShards, nullable: true);
        CheckShardRange(shards, shardStart, shardEnd);

        ReadString(fields, "", "bind", nullable: false, "an IP address to listen on (e.g. \"0.0.0.0\" or \"::\")", IsIpAddress);
        ReadInteger(fields, "", "port", 1, 65535, nullable: false);
        CheckActivity(fields);
        ReadString(fields, "", "status", nullable: false, "\"online\", \"idle\", \"dnd\", \"invisible\" or \"offline\"",
            static s => Array.IndexOf(Statuses, s) >= 0, Statuses);
        ReadInteger(fields, "", "backpressure", 1, int.MaxValue, nullable: false);
        ReadString(fields, "", "twilight_http_proxy", nullable: true, "\"host:port\" (e.g. \"127.0.0.1:3000\")", IsHostPort);
        ReadBool(fields, "", "validate_token");
        ReadString(fields, "", "externally_accessible_url", nullable: true,
            "a ws://, wss://, http:// or https:// URL (e.g. \"ws://proxy.internal:7878\")",
            static s => IsUrl(s, "ws", "wss", "http", "https"));
        CheckCache(fields);
        ReadInteger(fields, "", "ring_size", ProxyConfig.MinRingSize, ProxyConfig.MaxRingSize, nullable: false,
            PowerOfTwoWanted, IsPowerOfTwo);
        CheckRingSizes(fields, shards);
        var ringMemory = ReadInteger(fields, "", "ring_memory_limit_mb", ProxyConfig.MinRingMemoryLimitMb, ProxyConfig.MaxRingMemoryLimitMb, nullable: false);
        var memory = ReadInteger(fields, "", "memory_limit_mb", ProxyConfig.MinMemoryLimitMb, ProxyConfig.MaxMemoryLimitMb, nullable: true);
        bool ringDefault = !fields.ContainsKey("ring_memory_limit_mb");
        CheckMemoryLimits(memory, ringDefault ? ProxyConfig.DefaultRingMemoryLimitMb : ringMemory, ringDefault);
        ReadInteger(fields, "", "session_ttl_seconds", 1, 86_400, nullable: false);
        CheckUpstream(fields);
        ReadString(fields, "", "state_file", nullable: true, "a file path (e.g. \"state.bin\")", static s => s.Trim().Length > 0);
        ReadInteger(fields, "", "state_max_age_seconds", 1, 86_400, nullable: false);
        ReadInteger(fields, "", "max_connections_per_ip", 1, 1_000_000, nullable: false);
        ReadInteger(fields, "", "unauthenticated_timeout_seconds", 1, 3_600, nullable: false);
        CheckTls(fields);
        ReadInteger(fields, "", "client_shards", 1, 4096, nullable: true,
            "an integer between 1 and 4096 (the shard count /gateway/bot tells clients to use), or null for the upstream count");
        CheckAdmin(fields);
        ReadBool(fields, "", "auto_reshard");
        return token;
    }

    /// <summary>Picks the token: TOKEN from the environment when set, else the file's; reports a missing or malformed one without showing it.</summary>
    private string CheckToken(Dictionary<string, JsonElement>? fields, string? environmentToken)
    {
        var fromFile = fields is null
            ? null
            : ReadString(fields, "", "token", nullable: true, "a string (the bot token)");
        var fromEnvironment = environmentToken?.Trim();
        string token;
        string where;
        if (!string.IsNullOrEmpty(fromEnvironment))
        {
            (token, where) = (fromEnvironment, "the TOKEN environment variable");
        }
        else
        {
            (token, where) = ((fromFile ?? "").Trim(), "\"token\"");
        }

        if (token.Length == 0)
        {
            Error("no token: set \"token\" in config.json or the TOKEN environment variable");
        }
        else if (token.StartsWith("Bot ", StringComparison.OrdinalIgnoreCase))
        {
            Error($"{where} starts with \"Bot \", wanted the bare bot token (the proxy adds \"Bot \" itself)");
        }
        else if (token.AsSpan().IndexOfAny(" \t\r\n") >= 0)
        {
            Error($"{where} contains whitespace, wanted the bare bot token");
        }

        return token;
    }

    /// <summary>The rings live on the GC heap the memory limit caps: they may take at most half of it, leaving the rest to
    /// the cache and the clients.</summary>
    private void CheckMemoryLimits(long? memory, long? ringMemory, bool ringDefault)
    {
        if (memory is { } limit && ringMemory is { } rings && rings > limit / 2)
        {
            Error($"\"ring_memory_limit_mb\" ({rings}{(ringDefault ? ", the default" : "")}) must be at most half of \"memory_limit_mb\" ({limit}): the rings live on the GC heap "
                + $"the memory limit caps; set \"ring_memory_limit_mb\" to {Math.Max(ProxyConfig.MinRingMemoryLimitMb, limit / 2)} or less, or raise \"memory_limit_mb\" to {rings * 2} or more");
        }
    }

    private void CheckShardRange(long? shards, long? shardStart, long? shardEnd)
    {
        if (shardStart is { } start && shardEnd is { } end && end <= start)
        {
            Error($"\"shard_end\" ({end}) must be greater than \"shard_start\" ({start})");
        }

        if (shards is { } total)
        {
            if (shardEnd is { } e && e > total)
            {
                Error($"\"shard_end\" ({e}) must be at most \"shards\" ({total})");
            }

            if (shardStart is { } s && s >= total)
            {
                Error($"\"shard_start\" ({s}) must be less than \"shards\" ({total})");
            }
        }
    }

    private void CheckActivity(Dictionary<string, JsonElement> fields)
    {
        const string wanted = "an object like {\"type\": 0, \"name\": \"with shard {{shard}}\"} or null";
        if (!TryGet(fields, "", "activity", nullable: true, wanted, out var activity))
        {
            return;
        }

        if (activity.ValueKind != JsonValueKind.Object)
        {
            Wrong("activity", activity, wanted);
            return;
        }

        var inner = Fields(activity, "activity", ConfigKeys.Activity);
        ReadInteger(inner, "activity", "type", 0, 5, nullable: false,
            "an integer between 0 and 5 (0 playing, 1 streaming, 2 listening, 3 watching, 4 custom, 5 competing)");
        ReadString(inner, "activity", "name", nullable: false, "a non-empty string of at most 128 characters",
            static s => s.Length is > 0 and <= 128);
        if (!inner.ContainsKey("name"))
        {
            Error("\"activity.name\" is missing, wanted a non-empty string of at most 128 characters");
        }

        ReadString(inner, "activity", "url", nullable: true, "an http:// or https:// URL (the stream URL for type 1)",
            static s => IsUrl(s, "http", "https"));
    }

    private void CheckCache(Dictionary<string, JsonElement> fields)
    {
        const string wanted = "an object of true/false flags like {\"members\": false}";
        if (!TryGet(fields, "", "cache", nullable: false, wanted, out var cache))
        {
            return;
        }

        if (cache.ValueKind != JsonValueKind.Object)
        {
            Wrong("cache", cache, wanted);
            return;
        }

        var inner = Fields(cache, "cache", ConfigKeys.Cache);
        foreach (var key in ConfigKeys.Cache)
        {
            if (key == "compress_cold_after_seconds")
            {
                ReadInteger(inner, "cache", key, 0, CacheConfig.MaxCompressColdAfterSeconds, nullable: false);
            }
            else
            {
                ReadBool(inner, "cache", key);
            }
        }
    }

    private void CheckRingSizes(Dictionary<string, JsonElement> fields, long? shards)
    {
        const string wanted = "an object of shard id to ring size like {\"0\": 8192}";
        if (!TryGet(fields, "", "ring_sizes", nullable: true, wanted, out var ringSizes))
        {
            return;
        }

        if (ringSizes.ValueKind != JsonValueKind.Object)
        {
            Wrong("ring_sizes", ringSizes, wanted + " or null");
            return;
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var property in ringSizes.EnumerateObject())
        {
            var path = "ring_sizes." + property.Name;
            // Only the canonical spelling ("7", not "07" or "+7"), so two keys can never name the same shard.
            if (!int.TryParse(property.Name, NumberStyles.None, CultureInfo.InvariantCulture, out var shard)
                || shard.ToString(CultureInfo.InvariantCulture) != property.Name || shard >= MaxShards)
            {
                Error($"\"ring_sizes\" has the key \"{property.Name}\", wanted shard ids like \"0\"");
                continue;
            }

            if (!seen.Add(property.Name))
            {
                Error($"\"{path}\" appears more than once; keep one");
                continue;
            }

            if (shards is { } total && shard >= total)
            {
                Error($"\"{path}\" names shard {shard}, but \"shards\" is {total} (shard ids go up to {total - 1})");
            }

            var size = property.Value;
            if (size.ValueKind != JsonValueKind.Number || !size.TryGetInt64(out var n)
                || n < ProxyConfig.MinRingSize || n > ProxyConfig.MaxRingSize || !IsPowerOfTwo(n))
            {
                Wrong(path, size, PowerOfTwoWanted);
            }
        }
    }

    private void CheckUpstream(Dictionary<string, JsonElement> fields)
    {
        const string wanted = "an object like {\"compression\": \"zlib-stream\"}";
        if (!TryGet(fields, "", "upstream", nullable: false, wanted, out var upstream))
        {
            return;
        }

        if (upstream.ValueKind != JsonValueKind.Object)
        {
            Wrong("upstream", upstream, wanted);
            return;
        }

        var inner = Fields(upstream, "upstream", ConfigKeys.Upstream);
        ReadString(inner, "upstream", "api_base_url", nullable: false,
            "an http:// or https:// URL (e.g. \"https://discord.com/api/v10\")", static s => IsUrl(s, "http", "https"));
        ReadString(inner, "upstream", "gateway_url", nullable: true,
            "a ws:// or wss:// URL (e.g. \"wss://gateway.discord.gg\")", static s => IsUrl(s, "ws", "wss"));
        ReadString(inner, "upstream", "compression", nullable: false, "\"zlib-stream\", \"zstd-stream\" or \"none\"",
            static s => Array.IndexOf(Compressions, s) >= 0, Compressions);
        ReadString(inner, "upstream", "identify_queue_url", nullable: true,
            "an http:// or https:// URL of a twilight gateway-queue", static s => IsUrl(s, "http", "https"));
        ReadInteger(inner, "upstream", "identify_margin_ms", 0, UpstreamConfig.MaxIdentifyMarginMs, nullable: false);
    }

    /// <summary><c>admin</c>: a token long enough to guess at no better than by brute force, and an optional listen address.</summary>
    private void CheckAdmin(Dictionary<string, JsonElement> fields)
    {
        const string wanted = "an object like {\"listen\": \"127.0.0.1:7879\", \"token\": \"<at least 16 characters>\"} or null";
        if (!TryGet(fields, "", "admin", nullable: true, wanted, out var admin))
        {
            return;
        }

        if (admin.ValueKind != JsonValueKind.Object)
        {
            // Not echoed (as other wrong values are): it may be the token itself.
            Error($"\"admin\" is a {admin.ValueKind.ToString().ToLowerInvariant()}, wanted {wanted}");
            return;
        }

        var inner = Fields(admin, "admin", ConfigKeys.Admin);
        ReadString(inner, "admin", "listen", nullable: true, "\"ip:port\" of the admin listener (e.g. \"127.0.0.1:7879\"), or null for the client port",
            static s => System.Net.IPEndPoint.TryParse(s, out var endPoint) && endPoint.Port > 0 && s.Contains(':', StringComparison.Ordinal));
        if (!inner.TryGetValue("token", out var token))
        {
            Error("\"admin.token\" is missing, wanted a string of at least 16 characters (admin requests send it as Authorization: Bearer <token>)");
        }
        else
        {
            // The value is never echoed: it is a secret.
            if (token.ValueKind != JsonValueKind.String || token.GetString()!.Trim().Length < 16 || token.GetString()!.AsSpan().IndexOfAny(" \t\r\n") >= 0)
            {
                Error("\"admin.token\" must be a string of at least 16 characters without whitespace");
            }
        }
    }

    /// <summary><c>tls</c>: both files named, and the pair loadable now (a bad certificate stops the start, naming the file).</summary>
    private void CheckTls(Dictionary<string, JsonElement> fields)
    {
        const string wanted = "an object like {\"cert_file\": \"/etc/gateway-proxy/fullchain.pem\", \"key_file\": \"/etc/gateway-proxy/privkey.pem\"} or null";
        if (!TryGet(fields, "", "tls", nullable: true, wanted, out var tls))
        {
            return;
        }

        if (tls.ValueKind != JsonValueKind.Object)
        {
            Wrong("tls", tls, wanted);
            return;
        }

        var inner = Fields(tls, "tls", ConfigKeys.Tls);
        var certFile = ReadString(inner, "tls", "cert_file", nullable: false, "the path of a PEM certificate file", static s => s.Trim().Length > 0);
        var keyFile = ReadString(inner, "tls", "key_file", nullable: false, "the path of a PEM private key file", static s => s.Trim().Length > 0);
        foreach (var key in ConfigKeys.Tls)
        {
            if (!inner.ContainsKey(key))
            {
                Error($"\"tls.{key}\" is missing, wanted the path of a PEM {(key == "cert_file" ? "certificate" : "private key")} file");
            }
        }

        if (certFile is not null && keyFile is not null
            && !Egress.Tls.ServerCertificate.TryLoad(certFile, keyFile, DateTimeOffset.UtcNow, out _, out var error))
        {
            Error($"\"tls\": {error}");
        }
    }
}
