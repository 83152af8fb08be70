using System.Globalization;
using GatewayProxy.Perf.EndToEnd;

namespace GatewayProxy.Perf.Soak;

/// <summary>One row of the soak's curve: the proxy child process read from /proc and /metrics, the churn clients' counters.</summary>
/// <remarks>
/// Nothing here forces a collection: HeapBytes is the GC heap as the proxy's last collection left it
/// (<c>gateway_gc_heap_size_bytes</c>) and HeapNowBytes the heap now,
/// garbage not yet collected included (<c>gateway_process_heap_bytes</c>), so the curves are the ones an operator's
/// dashboard shows. The soak forces a full GC only at the end of the baseline and at the very end.
/// </remarks>
internal readonly record struct SoakSample(
    double Seconds,
    string Phase,
    long RssBytes,
    long HeapBytes,
    long HeapNowBytes,
    long AllocatedBytes,
    long Gen2Collections,
    int FileDescriptors,
    int Threads,
    long OpenConnections,
    long Sessions,
    long RingBytes,
    long ShardEvents,
    long EgressBytes,
    long ChurnConnections,
    long ChurnJsonBytes,
    double LoadAverage)
{
    /// <summary>The CSV header matching <see cref="ToCsv"/>.</summary>
    public const string CsvHeader = "seconds,phase,rss_mib,heap_mib,heap_now_mib,allocated_mib,gen2_collections,fds,threads,open_connections,sessions,ring_mib,shard_events,egress_mib,churn_connections,churn_json_mib,load1";

    /// <summary>Reads the proxy child and the workload now.</summary>
    public static async Task<SoakSample> TakeAsync(double seconds, string phase, ProxyTarget proxy, SoakWorkload workload)
    {
        MetricsText metrics = await MetricsText.ReadAsync(proxy).ConfigureAwait(false);
        return new SoakSample(
            seconds,
            phase,
            proxy.Child.ResidentBytes(),
            (long)metrics.Sum("gateway_gc_heap_size_bytes"),
            (long)metrics.Sum("gateway_process_heap_bytes"),
            (long)metrics.Sum("gateway_process_allocated_bytes"),
            (long)metrics.Sum("gateway_gc_collections{generation=\"2\"}"),
            proxy.Child.OpenFileDescriptors(),
            proxy.Child.ThreadCount(),
            (long)metrics.Sum("gateway_open_connections"),
            (long)metrics.Sum("gateway_sessions"),
            (long)metrics.Sum("gateway_ring_memory_bytes"),
            (long)metrics.Sum("gateway_shard_events{"),
            (long)metrics.Sum("gateway_egress_bytes_total{"),
            workload.Connections,
            workload.JsonBytes,
            LoadAverage1());
    }

    /// <summary>The one-minute load average of the machine (/proc/loadavg).</summary>
    public static double LoadAverage1() =>
        double.Parse(File.ReadAllText("/proc/loadavg").Split(' ')[0], CultureInfo.InvariantCulture);

    /// <summary>One CSV line.</summary>
    public string ToCsv() => string.Create(
        CultureInfo.InvariantCulture,
        $"{Seconds:F0},{Phase},{Mib(RssBytes):F1},{Mib(HeapBytes):F1},{Mib(HeapNowBytes):F1},{Mib(AllocatedBytes):F0},{Gen2Collections},{FileDescriptors},{Threads},{OpenConnections},{Sessions},{Mib(RingBytes):F1},{ShardEvents},{Mib(EgressBytes):F1},{ChurnConnections},{Mib(ChurnJsonBytes):F1},{LoadAverage:F2}");

    /// <summary>One markdown table row.</summary>
    public string ToMarkdown() => "| " + ToCsv().Replace(",", " | ", StringComparison.Ordinal) + " |";

    /// <summary>Bytes in MiB.</summary>
    public static double Mib(long bytes) => bytes / (1024.0 * 1024.0);

    /// <summary>One scrape of the proxy's /metrics.</summary>
    private sealed class MetricsText(string text)
    {
        public static async Task<MetricsText> ReadAsync(ProxyTarget proxy) => new(await proxy.MetricsTextAsync().ConfigureAwait(false));

        /// <summary>Sum of the values of the lines starting with <paramref name="prefix"/> (a name alone matches only unlabelled lines).</summary>
        public double Sum(string prefix)
        {
            double sum = 0;
            bool labelled = prefix.EndsWith('{') || prefix.Contains('{', StringComparison.Ordinal);
            foreach (ReadOnlySpan<char> line in text.AsSpan().EnumerateLines())
            {
                if (!line.StartsWith(prefix, StringComparison.Ordinal)) continue;
                if (!labelled && line.Length > prefix.Length && line[prefix.Length] != ' ') continue;
                sum += double.Parse(line[(line.LastIndexOf(' ') + 1)..], CultureInfo.InvariantCulture);
            }

            return sum;
        }
    }
}
