using System.Diagnostics.Tracing;
using System.Globalization;
using System.Runtime;

namespace GatewayProxy.Host.Diagnostics;

/// <summary>
/// Opt-in controls for the perf driver (perf/README.md, "Big bot"), read as lines on standard input: <c>gc</c> forces a
/// full, compacting collection (large object heap included) and prints the heap after it; <c>gcstats</c> prints the GC
/// pauses since the previous <c>gcstats</c>: count, total and longest, gen2 collections and the heap after each;
/// <c>gcpauses</c> prints the pause percentiles since the previous <c>gcpauses</c> (docs/soak.md).
/// </summary>
/// <remarks>
/// Off unless <see cref="Variable"/> is <c>1</c>: then nothing reads stdin and no listener runs. A scrape of /metrics
/// must never cause a collection, so forcing one is only ever this test-only switch. Pauses come from the runtime's GC
/// events (a suspension for a GC to the restart), so a background GC's two pauses count as two.
/// </remarks>
internal sealed class PerfControl : EventListener
{
    /// <summary>The environment variable that turns the controls on (value <c>1</c>).</summary>
    public const string Variable = "GATEWAYPROXY_PERF_CONTROL";

    private const string RuntimeProvider = "Microsoft-Windows-DotNETRuntime";
    private const long GcKeyword = 0x1;
    private const int SuspendBegin = 9;
    private const int RestartEnd = 3;
    private const int GcStart = 1;
    private const int HeapStats = 4;

    // Field initializers run before EventListener's constructor, which may already call OnEventSourceCreated.
    private readonly Lock _lock = new();
    private readonly List<long> _gen2HeapBytes = [];
    // Every pause since the last gcpauses, bounded: a soak of an hour has a few thousand.
    private readonly List<double> _pauseMs = [];
    private DateTime _suspendedAt;
    private int _lastDepth = -1;
    private int _pauses;
    private double _totalMs;
    private double _maxMs;
    private int _gen2;
    private int _gen2Total;
    private Thread? _reader;

    private PerfControl()
    {
    }

    /// <summary>Running controls when <see cref="Variable"/> is <c>1</c>, else null (the default: nothing runs).</summary>
    public static PerfControl? StartFromEnvironment(Func<string, string?> environment)
    {
        if (environment(Variable) != "1")
        {
            return null;
        }

        var control = new PerfControl();
        control._reader = new Thread(control.ReadCommands) { IsBackground = true, Name = "perf-control" };
        control._reader.Start();
        return control;
    }

    /// <inheritdoc />
    protected override void OnEventSourceCreated(EventSource eventSource)
    {
        if (eventSource.Name == RuntimeProvider)
        {
            EnableEvents(eventSource, EventLevel.Informational, (EventKeywords)GcKeyword);
        }
    }

    /// <inheritdoc />
    protected override void OnEventWritten(EventWrittenEventArgs eventData)
    {
        lock (_lock)
        {
            switch (eventData.EventId)
            {
                case SuspendBegin:
                    // The runtime suspends threads for more than GCs (tiered compilation's call counting, the debugger):
                    // only a suspension for a GC (1) or its preparation (6) starts a GC pause.
                    uint reason = Convert.ToUInt32(Payload(eventData, "Reason") ?? 1u, CultureInfo.InvariantCulture);
                    _suspendedAt = reason is 1 or 6 ? eventData.TimeStamp : default;
                    break;
                case RestartEnd when _suspendedAt != default:
                    var ms = (eventData.TimeStamp - _suspendedAt).TotalMilliseconds;
                    _suspendedAt = default;
                    _pauses++;
                    _totalMs += ms;
                    _maxMs = Math.Max(_maxMs, ms);
                    if (_pauseMs.Count < 1_000_000) _pauseMs.Add(ms);
                    break;
                case GcStart:
                    _lastDepth = Convert.ToInt32(Payload(eventData, "Depth") ?? -1, CultureInfo.InvariantCulture);
                    if (_lastDepth == 2)
                    {
                        _gen2++;
                        _gen2Total++;
                    }

                    break;
                case HeapStats when _lastDepth == 2:
                    long heap = 0;
                    foreach (var name in (ReadOnlySpan<string>)["GenerationSize0", "GenerationSize1", "GenerationSize2", "GenerationSize3", "GenerationSize4"])
                    {
                        heap += Convert.ToInt64(Payload(eventData, name) ?? 0L, CultureInfo.InvariantCulture);
                    }

                    _gen2HeapBytes.Add(heap);
                    _lastDepth = -1;
                    break;
            }
        }
    }

    private static object? Payload(EventWrittenEventArgs e, string name)
    {
        var index = e.PayloadNames?.IndexOf(name) ?? -1;
        return index >= 0 && e.Payload is { } payload ? payload[index] : null;
    }

    private void ReadCommands()
    {
        while (Console.In.ReadLine() is { } line)
        {
            switch (line.Trim())
            {
                case "gc":
                    int seen = Volatile.Read(ref _gen2Total);
                    GCSettings.LargeObjectHeapCompactionMode = GCLargeObjectHeapCompactionMode.CompactOnce;
                    GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
                    GC.WaitForPendingFinalizers();
                    GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);

                    // The runtime hands GC events to listeners on its own thread, a little later: answer once both are
                    // counted (bounded), so a gcstats right after this reports them.
                    for (int i = 0; i < 500 && Volatile.Read(ref _gen2Total) < seen + 2; i++)
                    {
                        Thread.Sleep(10);
                    }

                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"perf gc heap={GC.GetTotalMemory(forceFullCollection: false)}"));
                    break;
                case "gcstats":
                    Console.WriteLine(TakeStats());
                    break;
                case "gcpauses":
                    Console.WriteLine(TakePauses());
                    break;
            }
        }
    }

    private string TakePauses()
    {
        double[] pauses;
        lock (_lock)
        {
            pauses = [.. _pauseMs];
            _pauseMs.Clear();
        }

        Array.Sort(pauses);
        return string.Create(CultureInfo.InvariantCulture,
            $"perf gcpauses count={pauses.Length} p50_ms={Percentile(pauses, 0.50):F3} p90_ms={Percentile(pauses, 0.90):F3} p99_ms={Percentile(pauses, 0.99):F3} max_ms={(pauses.Length == 0 ? 0 : pauses[^1]):F3} total_ms={pauses.Sum():F1}");
    }

    /// <summary>The nearest-rank percentile of sorted values (0 for none).</summary>
    private static double Percentile(double[] sorted, double p) =>
        sorted.Length == 0 ? 0 : sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Length) - 1, 0, sorted.Length - 1)];

    private string TakeStats()
    {
        lock (_lock)
        {
            var line = string.Create(CultureInfo.InvariantCulture,
                $"perf gcstats pauses={_pauses} total_ms={_totalMs:F3} max_ms={_maxMs:F3} gen2={_gen2} gen2_heaps={string.Join(',', _gen2HeapBytes)}");
            _pauses = 0;
            _totalMs = 0;
            _maxMs = 0;
            _gen2 = 0;
            _gen2HeapBytes.Clear();
            return line;
        }
    }
}
