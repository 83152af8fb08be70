using Prometheus;

namespace GatewayProxy.Host.Wiring;

/// <summary>
/// Process-level runtime gauges on the proxy's own registry (a custom registry has none of prometheus-net's defaults):
/// allocated bytes, heap bytes (now, after the last GC, committed), GC counts per generation and CPU seconds, read only
/// when <c>/metrics</c> is scraped.
/// The end-to-end perf driver reads them before and after its measured window.
/// </summary>
internal static class RuntimeMetrics
{
    /// <summary>Adds the gauges to <paramref name="registry"/> and refreshes them before every collection.</summary>
    public static void Register(CollectorRegistry registry)
    {
        MetricFactory factory = Prometheus.Metrics.WithCustomRegistry(registry);
        Gauge allocated = factory.CreateGauge("gateway_process_allocated_bytes", "Bytes allocated on the managed heap since the process started (GC.GetTotalAllocatedBytes).");
        Gauge collections = factory.CreateGauge("gateway_gc_collections", "Garbage collections since the process started, by generation.", ["generation"]);
        Gauge heap = factory.CreateGauge("gateway_process_heap_bytes", "Bytes on the managed heap now (GC.GetTotalMemory without a collection: live objects plus garbage not yet collected).");
        Gauge heapAfterGc = factory.CreateGauge("gateway_gc_heap_size_bytes", "Bytes on the managed heap when the last garbage collection ended (GCMemoryInfo.HeapSizeBytes).");
        Gauge committed = factory.CreateGauge("gateway_gc_committed_bytes",
            "Bytes the GC had committed when the last collection ended (GCMemoryInfo.TotalCommittedBytes): what a heap hard limit (memory_limit_mb) is enforced against.");
        Gauge cpu = factory.CreateGauge("gateway_process_cpu_seconds", "User and system CPU time the process has used.");
        Gauge.Child[] byGeneration = [collections.WithLabels("0"), collections.WithLabels("1"), collections.WithLabels("2")];
        registry.AddBeforeCollectCallback(() =>
        {
            allocated.Set(GC.GetTotalAllocatedBytes(precise: true));
            heap.Set(GC.GetTotalMemory(forceFullCollection: false));
            GCMemoryInfo info = GC.GetGCMemoryInfo();
            heapAfterGc.Set(info.HeapSizeBytes);
            committed.Set(info.TotalCommittedBytes);
            for (int generation = 0; generation < byGeneration.Length; generation++)
            {
                byGeneration[generation].Set(GC.CollectionCount(generation));
            }

            cpu.Set(Environment.CpuUsage.TotalTime.TotalSeconds);
        });
    }
}
