using GatewayProxy.Protocol.Gateway;
using GatewayProxy.Protocol.Compression;
using Prometheus;

namespace GatewayProxy.Egress.Metrics;

/// <summary>Egress's Prometheus metrics, with every labelled child cached up front (no WithLabels on a hot path).</summary>
internal sealed class EgressMetrics
{
    private readonly Gauge _clients;
    private readonly Gauge _lag;
    private readonly Gauge _occupancy;
    private readonly Gauge _ringBytes;
    private readonly Counter.Child[] _disconnects;
    private readonly Counter.Child[] _bytes;
    private readonly Counter.Child[] _droppedCommands;
    private readonly Counter.Child[] _refused;

    public EgressMetrics(CollectorRegistry registry)
    {
        MetricFactory factory = Prometheus.Metrics.WithCustomRegistry(registry);
        _clients = factory.CreateGauge("gateway_clients", "Connected clients per shard (sessions with a live socket).", ["shard"]);
        _lag = factory.CreateGauge("gateway_client_lag", "Largest number of events a client of the shard is behind.", ["shard"]);
        _occupancy = factory.CreateGauge("gateway_ring_occupancy",
            "Events in the shard's ring its slowest live reader (a client or the cache updater) has not consumed yet, at most the ring size.", ["shard"]);
        _ringBytes = factory.CreateGauge("gateway_ring_bytes",
            "Bytes the shard's ring holds: the blocks of its byte log (payloads and their metadata), not counting its fixed slots.", ["shard"]);
        RingMemoryBytes = factory.CreateGauge("gateway_ring_memory_bytes", "Bytes the rings of all shards of the process hold together (bound: ring_memory_limit_mb).");
        RingLimitTrims = factory.CreateCounter("gateway_ring_limit_trims_total",
            "Trims of a ring's oldest events forced by ring_memory_limit_mb (each frees at least one block of the ring holding the most).");
        Counter disconnects = factory.CreateCounter("gateway_client_disconnects_total", "Client connections ended, by reason.", ["reason"]);
        _disconnects = new Counter.Child[ClientDisconnectReasons.Count];
        for (int i = 0; i < _disconnects.Length; i++) _disconnects[i] = disconnects.WithLabels(ClientDisconnectReasons.ToLabel((ClientDisconnectReason)i));
        Counter bytes = factory.CreateCounter("gateway_egress_bytes_total", "Bytes written to clients (after compression), by compression.", ["compression"]);
        _bytes = [bytes.WithLabels(TransportCompressions.NoneName), bytes.WithLabels(TransportCompressions.ZlibStreamValue), bytes.WithLabels(TransportCompressions.ZstdStreamValue),
            bytes.WithLabels("zlib-payload")];
        NativeBytes = factory.CreateGauge("gateway_zlib_native_bytes", "Native memory held by client compressors (zlib and zstd contexts).");
        Sessions = factory.CreateGauge("gateway_sessions", "Client sessions, including detached ones that can still be resumed.");
        Counter dropped = factory.CreateCounter("gateway_client_commands_dropped_total",
            "Client commands not sent upstream because the shard's send limiter was full, by opcode.", ["op"]);
        _droppedCommands = [dropped.WithLabels("3"), dropped.WithLabels("4"), dropped.WithLabels("8"), dropped.WithLabels("31")];
        MemoryLimitBytes = factory.CreateGauge("gateway_memory_limit_bytes",
            "The memory limit the GC heap is held under (memory_limit_mb, else the GC's own limit: its heap hard limit or the machine's memory).");
        MemoryHeapBytes = factory.CreateGauge("gateway_memory_heap_bytes", "The GC heap in use now, garbage not yet collected included (what the memory guard compares with the limit).");
        MemoryState = factory.CreateGauge("gateway_memory_state",
            "The memory guard: 0 normal, 1 new clients refused (HTTP 503), 2 the largest client backlogs being cut (4000 \"the proxy is low on memory\").");
        OpenConnections = factory.CreateGauge("gateway_open_connections", "Open TCP connections on the client port, in any state (before the upgrade too).");
        Counter refused = factory.CreateCounter("gateway_connections_refused_total",
            "Connections on the client port ended before a WebSocket upgrade, by reason.", ["reason"]);
        _refused = new Counter.Child[RefusalReasons.Count];
        for (int i = 0; i < _refused.Length; i++) _refused[i] = refused.WithLabels(RefusalReasons.ToLabel((RefusalReason)i));
    }

    /// <summary>Bytes all rings hold (set before a scrape).</summary>
    public Gauge RingMemoryBytes { get; }

    /// <summary>Trims forced by the ring memory limit (raised to the rings' count before a scrape).</summary>
    public Counter RingLimitTrims { get; }

    /// <summary>The per-shard ring bytes gauge child.</summary>
    public Gauge.Child RingBytesFor(int shard) => _ringBytes.WithLabels(shard.ToString(System.Globalization.CultureInfo.InvariantCulture));

    /// <summary>The memory limit (set before a scrape).</summary>
    public Gauge MemoryLimitBytes { get; }

    /// <summary>The GC heap in use (set before a scrape).</summary>
    public Gauge MemoryHeapBytes { get; }

    /// <summary>The memory guard's state (set before a scrape).</summary>
    public Gauge MemoryState { get; }

    /// <summary>Open TCP connections (set before a scrape).</summary>
    public Gauge OpenConnections { get; }

    /// <summary>Counts one connection refused before the upgrade.</summary>
    public void Refused(RefusalReason reason) => _refused[(int)reason].Inc();

    /// <summary>Refusals counted for a reason.</summary>
    public double RefusedCount(RefusalReason reason) => _refused[(int)reason].Value;

    /// <summary>Sum of the clients' compressor native memory.</summary>
    public Gauge NativeBytes { get; }

    /// <summary>Session count.</summary>
    public Gauge Sessions { get; }

    /// <summary>Disconnects counted for a reason.</summary>
    public double DisconnectCount(ClientDisconnectReason reason) => _disconnects[(int)reason].Value;

    /// <summary>Counts one disconnect.</summary>
    public void Disconnected(ClientDisconnectReason reason) => _disconnects[(int)reason].Inc();

    /// <summary>The bytes counter for a client's output mode.</summary>
    public Counter.Child BytesFor(TransportCompression transport, bool payloadCompression) => transport switch
    {
        TransportCompression.ZlibStream => _bytes[1],
        TransportCompression.ZstdStream => _bytes[2],
        _ => payloadCompression ? _bytes[3] : _bytes[0],
    };

    /// <summary>The per-shard client gauge child.</summary>
    public Gauge.Child ClientsFor(int shard) => _clients.WithLabels(shard.ToString(System.Globalization.CultureInfo.InvariantCulture));

    /// <summary>The per-shard lag gauge child.</summary>
    public Gauge.Child LagFor(int shard) => _lag.WithLabels(shard.ToString(System.Globalization.CultureInfo.InvariantCulture));

    /// <summary>The per-shard ring occupancy gauge child.</summary>
    public Gauge.Child OccupancyFor(int shard) => _occupancy.WithLabels(shard.ToString(System.Globalization.CultureInfo.InvariantCulture));

    /// <summary>Counts a command dropped because the shard limiter was full.</summary>
    public void CommandDropped(int op)
    {
        int index = (GatewayOpcode)op switch
        {
            GatewayOpcode.PresenceUpdate => 0,
            GatewayOpcode.VoiceStateUpdate => 1,
            GatewayOpcode.RequestGuildMembers => 2,
            _ => 3,
        };
        _droppedCommands[index].Inc();
    }
}
