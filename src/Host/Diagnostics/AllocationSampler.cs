using System.Diagnostics.Tracing;
using System.Globalization;
using System.Text;

namespace GatewayProxy.Host.Diagnostics;

/// <summary>
/// Opt-in allocation sampler for finding per-event allocations without external tools: listens to the runtime's
/// <c>GCAllocationTick</c> events (one per ~100 KB allocated, naming the type whose allocation crossed the mark) and
/// writes the types by sampled bytes to a file, rewritten every <see cref="DumpInterval"/> (the perf driver kills the
/// proxy, so there may be no orderly exit) and at dispose.
/// </summary>
/// <remarks>
/// Off unless <see cref="Variable"/> names an output file: then nothing is created and nothing runs. When on, the listener's
/// own event dispatch allocates too (its payload objects show up as <c>EventWrittenEventArgs</c>, <c>Object[]</c>, ...), so use
/// it to find where allocations come from, not to measure how much.
/// </remarks>
internal sealed class AllocationSampler : EventListener
{
    /// <summary>The environment variable naming the output file; unset or empty keeps the sampler off.</summary>
    public const string Variable = "GATEWAYPROXY_ALLOC_SAMPLE";

    private const string RuntimeProvider = "Microsoft-Windows-DotNETRuntime";
    private const long GcKeyword = 0x1;
    private const int TopTypes = 40;
    private const int TopSizes = 30;

    /// <summary>The runtime's sampling step: one tick per ~100 KB allocated, so samples × this ≈ bytes.</summary>
    private const long SampleBytes = 100 * 1024;
    private static readonly TimeSpan DumpInterval = TimeSpan.FromSeconds(2);

    // Field initializers run before EventListener's constructor, which may already call OnEventSourceCreated.
    private readonly Dictionary<(string Type, long Size), long> _bySize = new();
    private Dictionary<(string Type, long Size), long> _atLastDump = new();
    private readonly Lock _lock = new();
    private readonly string _path;
    private readonly Timer _timer;
    private long _samples;

    private AllocationSampler(string path)
    {
        _path = path;
        _timer = new Timer(static state => ((AllocationSampler)state!).Dump(), this, DumpInterval, DumpInterval);
    }

    /// <summary>A running sampler when <see cref="Variable"/> is set, else null (the default: zero cost).</summary>
    public static AllocationSampler? StartFromEnvironment(Func<string, string?> environment)
    {
        string? path = environment(Variable);
        return string.IsNullOrWhiteSpace(path) ? null : new AllocationSampler(Path.GetFullPath(path));
    }

    /// <summary>Writes the table one last time and stops listening.</summary>
    public override void Dispose()
    {
        _timer.Dispose();
        Dump();
        base.Dispose();
    }

    /// <inheritdoc />
    protected override void OnEventSourceCreated(EventSource eventSource)
    {
        if (eventSource.Name == RuntimeProvider)
        {
            EnableEvents(eventSource, EventLevel.Verbose, (EventKeywords)GcKeyword);
        }
    }

    /// <inheritdoc />
    protected override void OnEventWritten(EventWrittenEventArgs eventData)
    {
        if (eventData.EventName is not { } name || !name.StartsWith("GCAllocationTick", StringComparison.Ordinal) || eventData.Payload is null)
        {
            return;
        }

        string type = "?";
        long size = 0;
        for (int i = 0; i < eventData.Payload.Count && eventData.PayloadNames is { } names; i++)
        {
            switch (names[i])
            {
                case "TypeName": type = eventData.Payload[i] as string ?? "?"; break;
                case "ObjectSize": size = Convert.ToInt64(eventData.Payload[i], CultureInfo.InvariantCulture); break;
            }
        }

        lock (_lock)
        {
            _samples++;
            _bySize[(type, size)] = _bySize.GetValueOrDefault((type, size)) + 1;
        }
    }

    private void Dump()
    {
        var text = new StringBuilder();
        lock (_lock)
        {
            // The last interval alone: after start-up (ring slots, pools, the first GUILD_CREATEs) this is the steady state.
            var interval = new Dictionary<(string Type, long Size), long>();
            foreach (KeyValuePair<(string Type, long Size), long> row in _bySize)
            {
                long before = _atLastDump.GetValueOrDefault(row.Key);
                if (row.Value > before)
                {
                    interval[row.Key] = row.Value - before;
                }
            }

            _atLastDump = new Dictionary<(string Type, long Size), long>(_bySize);
            text.Append(CultureInfo.InvariantCulture, $"# {_samples} GCAllocationTick samples (~100 KB each); allocated so far: {GC.GetTotalAllocatedBytes(precise: false)} B; {DateTime.UtcNow:O}\n");
            AppendTable(text, "since start", ByType(_bySize), TopTypes);
            AppendTable(text, $"last {DumpInterval.TotalSeconds:0} s", ByType(interval), TopTypes);
            text.Append("## last interval by the sampled object's size: samples\tobject size\ttype\n");
            foreach (KeyValuePair<(string Type, long Size), long> row in Top(interval, TopSizes))
            {
                text.Append(CultureInfo.InvariantCulture, $"{row.Value}\t{row.Key.Size}\t{row.Key.Type}\n");
            }
        }

        try
        {
            File.WriteAllText(_path, text.ToString());
        }
        catch (IOException)
        {
            // A diagnostic aid: a full disk or a missing folder must not take the proxy down.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    private static Dictionary<string, long> ByType(Dictionary<(string Type, long Size), long> bySize)
    {
        var byType = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (KeyValuePair<(string Type, long Size), long> row in bySize)
        {
            byType[row.Key.Type] = byType.GetValueOrDefault(row.Key.Type) + row.Value;
        }

        return byType;
    }

    private static void AppendTable(StringBuilder text, string title, Dictionary<string, long> byType, int count)
    {
        text.Append(CultureInfo.InvariantCulture, $"## {title}: samples\t~bytes\ttype\n");
        foreach (KeyValuePair<string, long> row in Top(byType, count))
        {
            text.Append(CultureInfo.InvariantCulture, $"{row.Value}\t{row.Value * SampleBytes}\t{row.Key}\n");
        }
    }

    private static List<KeyValuePair<TKey, long>> Top<TKey>(Dictionary<TKey, long> rows, int count)
        where TKey : notnull
    {
        var list = new List<KeyValuePair<TKey, long>>(rows);
        list.Sort(static (a, b) => b.Value.CompareTo(a.Value));
        if (list.Count > count)
        {
            list.RemoveRange(count, list.Count - count);
        }

        return list;
    }
}
