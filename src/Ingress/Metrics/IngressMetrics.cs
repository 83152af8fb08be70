using Prometheus;

namespace GatewayProxy.Ingress.Metrics;

/// <summary>The upstream metric families (names in docs/operations.md "Metrics", compatible with the reference implementation's dashboards).</summary>
public sealed class IngressMetrics
{
    /// <summary>Creates (or reuses) the families in <paramref name="registry"/> (the process default when null).</summary>
    public IngressMetrics(CollectorRegistry? registry)
    {
        Registry = registry ?? Prometheus.Metrics.DefaultRegistry;
        MetricFactory factory = Prometheus.Metrics.WithCustomRegistry(Registry);
        Events = factory.CreateCounter("gateway_shard_events", "Dispatches received from Discord, by shard and event type.", ["shard", "event_type"]);
        Latency = factory.CreateGauge("gateway_shard_latency", "Last heartbeat round trip to Discord, in milliseconds.", ["shard"]);
        LatencySeconds = factory.CreateHistogram("gateway_shard_latency_seconds", "Heartbeat round trips to Discord, in seconds.", new HistogramConfiguration
        {
            LabelNames = ["shard"],
            Buckets = [0.01, 0.025, 0.05, 0.075, 0.1, 0.15, 0.2, 0.3, 0.5, 0.75, 1, 2, 5, 10],
        });
        Status = factory.CreateGauge("gateway_shard_status", "Shard state: 0 stopped, 1 disconnected, 2 connecting, 3 identifying, 4 resuming, 5 connected (READY/RESUMED).", ["shard"]);
        Reconnects = factory.CreateCounter("gateway_upstream_reconnects_total", "Upstream reconnections, by shard and reason.", ["shard", "reason"]);
        BytesIn = factory.CreateCounter("gateway_upstream_bytes_received_total", "Bytes received from Discord on the wire, by shard and transport compression.", ["shard", "compression"]);
        PayloadBytesIn = factory.CreateCounter("gateway_upstream_payload_bytes_total", "Decoded (inflated) payload bytes received from Discord, by shard.", ["shard"]);
        CacheGauges = new Gauge[CacheMetricNames.Length];
        for (int i = 0; i < CacheMetricNames.Length; i++)
        {
            CacheGauges[i] = factory.CreateGauge("gateway_cache_" + CacheMetricNames[i], $"Cached {CacheMetricNames[i].Replace('_', ' ')}, by shard.", ["shard"]);
        }
    }

    /// <summary>The suffixes of the <c>gateway_cache_&lt;kind&gt;</c> gauges, in <see cref="CacheGauges"/> order.</summary>
    public static readonly string[] CacheMetricNames =
    [
        "guilds", "unavailable_guilds", "channels", "threads", "members", "roles", "emojis", "stickers", "presences",
        "voice_states", "stage_instances", "scheduled_events", "soundboard_sounds", "users", "bytes",
    ];

    /// <summary>The registry the families live in.</summary>
    public CollectorRegistry Registry { get; }

    /// <summary><c>gateway_shard_events{shard,event_type}</c>.</summary>
    public Counter Events { get; }

    /// <summary><c>gateway_shard_latency{shard}</c> (milliseconds).</summary>
    public Gauge Latency { get; }

    /// <summary><c>gateway_shard_latency_seconds{shard}</c>.</summary>
    public Histogram LatencySeconds { get; }

    /// <summary><c>gateway_shard_status{shard}</c>.</summary>
    public Gauge Status { get; }

    /// <summary><c>gateway_upstream_reconnects_total{shard,reason}</c>.</summary>
    public Counter Reconnects { get; }

    /// <summary>Wire bytes received, per shard and compression.</summary>
    public Counter BytesIn { get; }

    /// <summary>Decoded payload bytes received, per shard.</summary>
    public Counter PayloadBytesIn { get; }

    /// <summary><c>gateway_cache_&lt;kind&gt;{shard}</c>, one per <see cref="CacheMetricNames"/> entry.</summary>
    public Gauge[] CacheGauges { get; }

    /// <summary>The labelled children of one shard, cached so the hot path never looks labels up.</summary>
    public ShardMetrics ForShard(int shardId, string compression) => new(this, shardId, compression);
}
