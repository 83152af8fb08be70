using System.Net;
using GatewayProxy.Egress;
using GatewayProxy.Host.Configuration;
using GatewayProxy.Ingress;
using GatewayProxy.Cache;
using GatewayProxy.Protocol.Compression;
using Prometheus;

namespace GatewayProxy.Host.Wiring;

/// <summary>Turns the validated <see cref="ProxyConfig"/> into the options of Ingress and Egress.</summary>
internal static class OptionsMapping
{
    public static IngressOptions ToIngress(ProxyConfig config, CollectorRegistry metrics)
    {
        var options = new IngressOptions
        {
            Token = config.Token,
            Intents = config.Intents,
            ApiBaseUrl = ApiBaseUrl(config),
            GatewayUrlOverride = config.Upstream.GatewayUrl is { Length: > 0 } gateway ? new Uri(gateway) : null,
            Compression = ToTransport(config.Upstream.Compression),
            ShardCount = config.Shards,
            ShardStart = config.ShardStart ?? 0,
            ShardEnd = config.ShardEnd,
            RingSize = config.RingSize,
            RingSizes = config.RingSizes,
            RingMemoryLimit = (long)config.RingMemoryLimitMb * 1024 * 1024,
            // A client that dropped may RESUME for as long as its session lives: the ring keeps that long.
            RingRetention = TimeSpan.FromSeconds(config.SessionTtlSeconds),
            Cache = ToCache(config.Cache),
            Status = config.Status switch
            {
                PresenceStatus.Idle => "idle",
                PresenceStatus.Dnd => "dnd",
                PresenceStatus.Invisible => "invisible",
                PresenceStatus.Offline => "offline",
                _ => "online",
            },
            ActivityType = config.Activity?.Type ?? 0,
            ActivityName = config.Activity?.Name,
            IdentifyQueueUrl = config.Upstream.IdentifyQueueUrl is { Length: > 0 } queue ? new Uri(queue) : null,
            IdentifyMargin = TimeSpan.FromMilliseconds(config.Upstream.IdentifyMarginMs),
            Metrics = metrics,
            StateFile = config.StateFile is { } stateFile ? Path.GetFullPath(stateFile) : null,
            StateMaxAge = TimeSpan.FromSeconds(config.StateMaxAgeSeconds),
        };
        return options;
    }

    public static EgressOptions ToEgress(ProxyConfig config, CollectorRegistry metrics) => new()
    {
        BindAddress = IPAddress.Parse(config.Bind),
        Port = config.Port,
        Token = config.Token,
        ValidateToken = config.ValidateToken,
        Backpressure = config.Backpressure,
        SessionTtl = TimeSpan.FromSeconds(config.SessionTtlSeconds),
        ExternallyAccessibleUrl = config.ExternallyAccessibleUrl,
        MaxConnectionsPerIp = config.MaxConnectionsPerIp,
        UnauthenticatedTimeout = TimeSpan.FromSeconds(config.UnauthenticatedTimeoutSeconds),
        TlsCertificateFile = config.Tls?.CertFile,
        TlsKeyFile = config.Tls?.KeyFile,
        ClientShards = config.ClientShards,
        // 0: the GC's own limit (DOTNET_GCHeapHardLimit, a container's, or the machine's memory).
        MemoryLimit = config.MemoryLimitMb is int mb ? (long)mb * 1024 * 1024 : 0,
        AdminToken = config.Admin?.Token,
        AdminEndPoint = config.Admin?.Listen is { } listen ? IPEndPoint.Parse(listen) : null,
        Metrics = metrics,
    };

    /// <summary><c>upstream.api_base_url</c>, or the twilight-http-proxy address when <c>twilight_http_proxy</c> is set (reference behaviour).</summary>
    public static Uri ApiBaseUrl(ProxyConfig config) =>
        config.TwilightHttpProxy is { Length: > 0 } proxy
            ? new Uri("http://" + proxy + "/api/v10")
            : new Uri(config.Upstream.ApiBaseUrl);

    /// <summary>The upstream compression of the config; its config name is <see cref="TransportCompressions.ToName"/> of the result.</summary>
    public static TransportCompression ToTransport(UpstreamCompression compression) => compression switch
    {
        UpstreamCompression.ZstdStream => TransportCompression.ZstdStream,
        UpstreamCompression.None => TransportCompression.None,
        _ => TransportCompression.ZlibStream,
    };

    private static CacheOptions ToCache(CacheConfig cache) => new()
    {
        Channels = cache.Channels,
        Presences = cache.Presences,
        Emojis = cache.Emojis,
        Members = cache.Members,
        Roles = cache.Roles,
        StageInstances = cache.StageInstances,
        Stickers = cache.Stickers,
        Users = cache.Users,
        VoiceStates = cache.VoiceStates,
        CurrentMember = cache.CurrentMember,
        ScheduledEvents = cache.ScheduledEvents,
        SoundboardSounds = cache.SoundboardSounds,
        CompressColdAfter = TimeSpan.FromSeconds(cache.CompressColdAfterSeconds),
    };
}
