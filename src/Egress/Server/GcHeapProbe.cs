using System.Runtime;
using GatewayProxy.Ring.Memory;

namespace GatewayProxy.Egress.Server;

/// <summary>The real heap for <see cref="MemoryGuard"/>: the GC's own figures, and a forced full collection that first lets
/// the block pools drop what they keep for reuse (pooled blocks are heap no collection can free).</summary>
internal sealed class GcHeapProbe : IHeapProbe
{
    /// <summary>The one instance.</summary>
    public static GcHeapProbe Instance { get; } = new();

    /// <summary>The GC's memory limit: the heap hard limit when one is set (<c>memory_limit_mb</c>,
    /// <c>DOTNET_GCHeapHardLimit</c>, or 75% of a container's memory limit), else the machine's memory.</summary>
    public static long AvailableBytes => GC.GetGCMemoryInfo().TotalAvailableMemoryBytes;

    /// <inheritdoc />
    /// <remarks>The bytes in use now, garbage not yet collected included: the heap as of the last collection goes stale
    /// between collections (pinned socket buffers and large arrays can grow it by tens of MiB without one).</remarks>
    public long HeapNow() => GC.GetTotalMemory(forceFullCollection: false);

    /// <inheritdoc />
    public long Collect()
    {
        SegmentPool.Sockets.TrimRetained();
        SegmentPool.Rings.TrimRetained();
        // Large payload arrays and grown buffers live on the large object heap, which is compacted only when asked.
        GCSettings.LargeObjectHeapCompactionMode = GCLargeObjectHeapCompactionMode.CompactOnce;
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        return GC.GetTotalMemory(forceFullCollection: false);
    }
}
