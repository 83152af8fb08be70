using GatewayProxy.Protocol.Gateway;
using Prometheus;

namespace GatewayProxy.Ingress.Metrics;

/// <summary>One shard's metric children: looked up once (per event type: on its first occurrence), then only incremented.</summary>
public sealed class ShardMetrics
{
    private readonly IngressMetrics _families;
    private readonly string _shard;
    private readonly Counter.Child?[] _events;
    private readonly Gauge.Child _latency;
    private readonly Histogram.Child _latencySeconds;
    private readonly Gauge.Child _status;
    private readonly Counter.Child _bytesIn;
    private readonly Counter.Child _payloadBytesIn;
    private readonly Gauge.Child[] _cache;

    internal ShardMetrics(IngressMetrics families, int shardId, string compression)
    {
        _families = families;
        _shard = shardId.ToString(System.Globalization.CultureInfo.InvariantCulture);
        int maxKind = 0;
        foreach (EventKind kind in EventKinds.All)
        {
            maxKind = Math.Max(maxKind, (int)kind);
        }

        _events = new Counter.Child?[maxKind + 1];
        _latency = families.Latency.WithLabels(_shard);
        _latencySeconds = families.LatencySeconds.WithLabels(_shard);
        _status = families.Status.WithLabels(_shard);
        _bytesIn = families.BytesIn.WithLabels(_shard, compression);
        _payloadBytesIn = families.PayloadBytesIn.WithLabels(_shard);
        _cache = new Gauge.Child[families.CacheGauges.Length];
        for (int i = 0; i < _cache.Length; i++)
        {
            _cache[i] = families.CacheGauges[i].WithLabels(_shard);
        }
    }

    /// <summary>Counts one dispatch of <paramref name="kind"/> with <paramref name="payloadBytes"/> decoded bytes.</summary>
    public void OnDispatch(EventKind kind, int payloadBytes)
    {
        int index = (uint)kind < (uint)_events.Length ? (int)kind : (int)EventKind.Unknown;
        (_events[index] ?? CreateEventChild(index)).Inc();
        _payloadBytesIn.Inc(payloadBytes);
    }

    /// <summary>Counts bytes read from the socket.</summary>
    public void OnWireBytes(long bytes) => _bytesIn.Inc(bytes);

    /// <summary>Records a heartbeat round trip.</summary>
    public void OnLatency(TimeSpan rtt)
    {
        _latency.Set(rtt.TotalMilliseconds);
        _latencySeconds.Observe(rtt.TotalSeconds);
    }

    /// <summary>Sets the status gauge.</summary>
    public void SetStatus(int value) => _status.Set(value);

    /// <summary>Counts a reconnection for <paramref name="reason"/> (a small fixed set of words).</summary>
    public void OnReconnect(string reason) => _families.Reconnects.WithLabels(_shard, reason).Inc();

    /// <summary>Sets the <paramref name="index"/>-th cache gauge (order of <see cref="IngressMetrics.CacheMetricNames"/>).</summary>
    public void SetCache(int index, double value) => _cache[index].Set(value);

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private Counter.Child CreateEventChild(int index)
    {
        Counter.Child child = _families.Events.WithLabels(_shard, EventKinds.ToName((EventKind)index));
        _events[index] = child;
        return child;
    }
}
