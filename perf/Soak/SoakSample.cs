using System.Diagnostics;
using System.Globalization;
using GatewayProxy.Host;
using GatewayProxy.Ingress;
using GatewayProxy.Cache;

namespace GatewayProxy.Perf.Soak;

/// <summary>One row of the soak's memory curve (process-wide: proxy, simulator and soak clients share the process).</summary>
/// <remarks>
/// GcHeapBytes is the live heap after a full blocking collection forced by the sample itself: the heap size seen at
/// the last ordinary GC rises and falls with garbage awaiting a gen2 and says nothing about leaks. Gen2Collections
/// leaves out those forced collections.
/// </remarks>
internal readonly record struct SoakSample(
    double Seconds,
    long WorkingSetBytes,
    long GcHeapBytes,
    long TotalAllocatedBytes,
    int Gen2Collections,
    int Connections,
    int Sessions,
    long CacheEntities,
    long CacheBytes,
    long SteadyEvents,
    long ChurnActions)
{
    /// <summary>The CSV header matching <see cref="ToCsv"/>.</summary>
    public const string CsvHeader = "seconds,working_set_mib,live_heap_mib,total_allocated_mib,gen2_collections,connections,sessions,cache_entities,cache_mib,steady_events,churn_actions";

    /// <summary>Reads the process and the proxy now (forcing one full GC; <paramref name="forcedSoFar"/> = samples taken before).</summary>
    public static SoakSample Take(Stopwatch clock, ProxyHost proxy, SoakWorkload workload, int forcedSoFar)
    {
        long entities = 0;
        long cacheBytes = 0;
        foreach (Shard shard in proxy.Shards.Shards)
        {
            CacheStats stats = shard.Cache.GetStats();
            entities += stats.Members + stats.Channels + stats.Roles;
            cacheBytes += stats.ApproximateBytes;
        }

        // Exactly one forced gen2 per sample (GetTotalMemory(true) may run several), so gen2 counts stay exact.
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        long live = GC.GetTotalMemory(forceFullCollection: false);
        using Process self = Process.GetCurrentProcess();
        return new SoakSample(
            clock.Elapsed.TotalSeconds,
            self.WorkingSet64,
            live,
            GC.GetTotalAllocatedBytes(),
            GC.CollectionCount(2) - forcedSoFar - 1,
            proxy.Server.ConnectedClients,
            proxy.Server.SessionCount,
            entities,
            cacheBytes,
            workload.SteadyEvents,
            workload.Actions);
    }

    /// <summary>One CSV line.</summary>
    public string ToCsv() => string.Create(
        CultureInfo.InvariantCulture,
        $"{Seconds:F0},{Mib(WorkingSetBytes):F1},{Mib(GcHeapBytes):F1},{Mib(TotalAllocatedBytes):F0},{Gen2Collections},{Connections},{Sessions},{CacheEntities},{Mib(CacheBytes):F1},{SteadyEvents},{ChurnActions}");

    /// <summary>One markdown table row.</summary>
    public string ToMarkdown() => "| " + ToCsv().Replace(",", " | ", StringComparison.Ordinal) + " |";

    /// <summary>Bytes in MiB.</summary>
    public static double Mib(long bytes) => bytes / (1024.0 * 1024.0);
}
