using System.Net.Security;
using GatewayProxy.Cache;
using GatewayProxy.Ingress.Rest;
using GatewayProxy.Protocol.Compression;
using Prometheus;

namespace GatewayProxy.Ingress;

/// <summary>Everything the upstream side needs: the bot, the shard range, compression, presence, ring sizes and the cache flags.</summary>
public sealed class IngressOptions
{
    /// <summary>The bot token (with or without <c>Bot </c>).</summary>
    public string Token { get; set; } = string.Empty;

    /// <summary>Gateway intents sent in IDENTIFY.</summary>
    public uint Intents { get; set; }

    /// <summary>REST API base (<c>https://discord.com/api/v10</c>; <c>twilight_http_proxy</c> "ip:port" → <see cref="GatewayInfoClient.ApiBaseFromHttpProxy"/>).</summary>
    public Uri ApiBaseUrl { get; set; } = GatewayInfoClient.DefaultApiBaseUrl;

    /// <summary>Connect here instead of the URL <c>/gateway/bot</c> returns.</summary>
    public Uri? GatewayUrlOverride { get; set; }

    /// <summary>Upstream transport compression (zlib-stream by default).</summary>
    public TransportCompression Compression { get; set; } = TransportCompression.ZlibStream;

    /// <summary>The bot's total shard count (<c>shards</c>); null uses Discord's recommendation.</summary>
    public int? ShardCount { get; set; }

    /// <summary>First shard this process owns.</summary>
    public int ShardStart { get; set; }

    /// <summary>One past the last shard this process owns; null means the total shard count.</summary>
    public int? ShardEnd { get; set; }

    /// <summary>Ring slots per shard (a power of two).</summary>
    public int RingSize { get; set; } = 4096;

    /// <summary>Per-shard ring size overrides.</summary>
    public IReadOnlyDictionary<int, int>? RingSizes { get; set; }

    /// <summary>The most bytes the rings of all shards hold together (<c>ring_memory_limit_mb</c>);
    /// <see cref="Ring.Memory.RingMemory.Unlimited"/> for no limit.</summary>
    public long RingMemoryLimit { get; set; } = Ring.Memory.RingMemory.Unlimited;

    /// <summary>How long a ring keeps an event every live reader has passed, so a client that dropped can RESUME to it
    /// (the client session TTL, <c>session_ttl_seconds</c>).</summary>
    public TimeSpan RingRetention { get; set; } = Ring.Memory.RingMemory.DefaultRetainFor;

    /// <summary>Whether <see cref="RingRetention"/> keeps only events some client session may still RESUME into (those
    /// after the oldest session's start), so a shard's start-up burst is freed once applied. Off only where something
    /// reads rings whole (tests).</summary>
    public bool RingRetentionFollowsSessions { get; set; } = true;

    /// <summary>The clock ring retention goes by (a fake one in tests).</summary>
    public TimeProvider Time { get; set; } = TimeProvider.System;

    /// <summary>What the guild caches keep.</summary>
    public CacheOptions Cache { get; set; } = new();

    /// <summary>Presence status sent in IDENTIFY.</summary>
    public string Status { get; set; } = "online";

    /// <summary>Activity type sent in IDENTIFY.</summary>
    public int ActivityType { get; set; }

    /// <summary>Activity name; <c>{{shard}}</c> is replaced by the shard id. Null: no activity.</summary>
    public string? ActivityName { get; set; }

    /// <summary>Minimum time between two IDENTIFYs of one bucket (Discord: 5 s).</summary>
    public TimeSpan IdentifyInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Added to <see cref="IdentifyInterval"/> between two IDENTIFYs of one bucket, for the gateway's clock and
    /// queue (<c>upstream.identify_margin_ms</c>); widened per bucket after an op 9 refusal.</summary>
    public TimeSpan IdentifyMargin { get; set; } = Identify.IdentifyQueue.DefaultMargin;

    /// <summary>The clock the in-process identify queue spaces IDENTIFYs by (tests drive a manual one).</summary>
    public TimeProvider IdentifyClock { get; set; } = TimeProvider.System;

    /// <summary>Random wait before re-identifying after op 9 false (Discord asks 1–5 s).</summary>
    public (TimeSpan Min, TimeSpan Max) ReidentifyDelay { get; set; } = (TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(5));

    /// <summary>External identify queue (twilight gateway-queue protocol: <c>GET {url}?shard=N</c>) shared by several processes; null uses the in-process queue.</summary>
    public Uri? IdentifyQueueUrl { get; set; }

    /// <summary>Where the metrics are registered (null: prometheus-net's default registry).</summary>
    public CollectorRegistry? Metrics { get; set; }

    /// <summary>Validates the wss:// server certificate (null: the system's validation). Tests trust the Simulator's self-signed one.</summary>
    public RemoteCertificateValidationCallback? CertificateValidation { get; set; }

    /// <summary>Attempts at <c>GET /gateway/bot</c> before giving up on network errors.</summary>
    public int RestMaxAttempts { get; set; } = 5;

    /// <summary>First retry delay of <c>GET /gateway/bot</c> (doubled each time).</summary>
    public TimeSpan RestRetryDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Longest wait between reconnection attempts of a shard that keeps failing.</summary>
    public TimeSpan MaxReconnectDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long a shard waits for unavailable READY guilds before calling itself ready anyway (discord.js waits 15 s).</summary>
    public TimeSpan GuildReadyTimeout { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>Shards that start by RESUMing a saved session instead of identifying (restored state file).</summary>
    public IReadOnlyDictionary<int, ShardResumeState>? ResumeStates { get; set; }

    /// <summary>Where the shards' sessions and caches are saved on stop and restored from on start; null: nothing is saved.</summary>
    public string? StateFile { get; set; }

    /// <summary>A state file older than this is ignored (Discord would not resume its sessions, and its cache is out of date).</summary>
    public TimeSpan StateMaxAge { get; set; } = TimeSpan.FromSeconds(120);

    /// <summary>The ring size of <paramref name="shardId"/>.</summary>
    public int RingSizeFor(int shardId) => RingSizes is not null && RingSizes.TryGetValue(shardId, out int size) ? size : RingSize;

    /// <summary>A shallow copy (a reshard's new shard set starts from the running set's options).</summary>
    public IngressOptions Copy() => (IngressOptions)MemberwiseClone();

    /// <summary>Throws <see cref="ArgumentException"/> naming the first wrong value.</summary>
    public void Validate()
    {
        Require(!string.IsNullOrWhiteSpace(Token), nameof(Token), "a bot token");
        Require(ApiBaseUrl is { IsAbsoluteUri: true } && (ApiBaseUrl.Scheme == "http" || ApiBaseUrl.Scheme == "https"), nameof(ApiBaseUrl), "an absolute http(s) URL");
        Require(GatewayUrlOverride is null || (GatewayUrlOverride.IsAbsoluteUri && GatewayUrlOverride.Scheme is "ws" or "wss"), nameof(GatewayUrlOverride), "an absolute ws:// or wss:// URL");
        Require(ShardCount is null or >= 1, nameof(ShardCount), ">= 1");
        Require(ShardStart >= 0, nameof(ShardStart), ">= 0");
        Require(ShardEnd is null || ShardEnd > ShardStart, nameof(ShardEnd), "> ShardStart");
        Require(IsPowerOfTwo(RingSize), nameof(RingSize), "a power of two >= 2");
        if (RingSizes is not null)
        {
            foreach (KeyValuePair<int, int> pair in RingSizes)
            {
                Require(IsPowerOfTwo(pair.Value), nameof(RingSizes), "powers of two >= 2");
            }
        }

        Require(RingMemoryLimit >= 0, nameof(RingMemoryLimit), ">= 0");
        Require(RingRetention >= TimeSpan.Zero, nameof(RingRetention), ">= 0");
        Require(Cache is not null, nameof(Cache), "set");
        Require(IdentifyInterval >= TimeSpan.Zero, nameof(IdentifyInterval), ">= 0");
        Require(IdentifyMargin >= TimeSpan.Zero, nameof(IdentifyMargin), ">= 0");
        Require(IdentifyClock is not null, nameof(IdentifyClock), "set");
        Require(ReidentifyDelay.Min >= TimeSpan.Zero && ReidentifyDelay.Max >= ReidentifyDelay.Min, nameof(ReidentifyDelay), "0 <= Min <= Max");
        Require(RestMaxAttempts >= 1, nameof(RestMaxAttempts), ">= 1");
        Require(MaxReconnectDelay >= TimeSpan.Zero, nameof(MaxReconnectDelay), ">= 0");
        Require(StateFile is null || StateFile.Trim().Length > 0, nameof(StateFile), "null or a file path");
        Require(StateMaxAge > TimeSpan.Zero, nameof(StateMaxAge), "> 0");
    }

    private static bool IsPowerOfTwo(int n) => n >= 2 && (n & (n - 1)) == 0;

    private static void Require(bool ok, string name, string wanted)
    {
        if (!ok)
        {
            throw new ArgumentException($"IngressOptions.{name} must be {wanted}.", name);
        }
    }
}
