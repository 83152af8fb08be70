using System.Globalization;
using GatewayProxy.Egress.Clients;
using GatewayProxy.Egress.Metrics;
using GatewayProxy.Egress.Server;
using GatewayProxy.Protocol.Gateway;

namespace GatewayProxy.Egress;

/// <summary>Memory pressure (docs/operations.md, "Memory limit"): the GC heap against the limit, every
/// <see cref="EgressOptions.MemoryCheckInterval"/>. Near it new clients are refused (HTTP 503 at the upgrade); nearer,
/// the clients with the largest unsent backlogs are cut with 4000 "the proxy is low on memory", largest first, until
/// what they hold brings the heap back under the refuse threshold. Upstream shards are never touched.</summary>
public sealed partial class ProxyServer
{
    /// <summary>The close reason of a client cut to free memory.</summary>
    internal const string LowMemoryReason = "the proxy is low on memory";

    /// <summary>Clients with less unsent than this are not worth cutting: their connection frees little.</summary>
    internal const long MinimumBacklogToCut = 64 * 1024;

    // Clients cut for memory whose connections have not ended yet, with the backlog each held: counted as freed.
    private readonly List<(ClientConnection Client, long Backlog)> _cutForMemory = [];
    private MemoryState _loggedState;

    private static MemoryGuard CreateMemoryGuard(EgressOptions options)
    {
        long limit = options.MemoryLimit > 0 ? options.MemoryLimit : GcHeapProbe.AvailableBytes;
        return new MemoryGuard(limit, options.MemoryRefuseAt, options.MemoryShedAt, options.MemoryResumeAt, options.HeapProbe ?? GcHeapProbe.Instance);
    }

    private async Task MemoryLoopAsync()
    {
        using var timer = new PeriodicTimer(_context.Options.MemoryCheckInterval);
        while (await timer.WaitForNextTickAsync(_stop.Token).ConfigureAwait(false))
        {
            try
            {
                CheckMemory(Environment.TickCount64);
            }
            catch (Exception e)
            {
                // Even an allocation failure here must not end the loop: it is what keeps the heap under the limit.
                EgressLog.MaintenanceFailed(_context.Logger, e);
            }
        }
    }

    /// <summary>One check: reads the heap, logs a change of state, cuts clients when the guard says so.</summary>
    internal void CheckMemory(long nowMs)
    {
        MemoryGuard memory = _context.Memory;
        long pending = 0;
        for (int i = _cutForMemory.Count - 1; i >= 0; i--)
        {
            if (_cutForMemory[i].Client.Completion.IsCompleted) _cutForMemory.RemoveAt(i);
            else pending += _cutForMemory[i].Backlog;
        }

        long toCut = memory.Check(nowMs, pending);
        MemoryState state = memory.State;
        if (state != _loggedState)
        {
            LogStateChange(memory, state);
            _loggedState = state;
        }

        if (toCut > 0) CutLargestBacklogs(memory, toCut, nowMs);
    }

    private void CutLargestBacklogs(MemoryGuard memory, long toCut, long nowMs)
    {
        var candidates = new List<(ClientConnection Client, long Backlog)>();
        foreach (ClientConnection client in _context.Connections.Keys)
        {
            long backlog = client.Backlog;
            if (backlog >= MinimumBacklogToCut && !client.IsCloseRequested) candidates.Add((client, backlog));
        }

        candidates.Sort(static (a, b) => b.Backlog.CompareTo(a.Backlog));
        long freed = 0;
        int cut = 0;
        foreach ((ClientConnection client, long backlog) in candidates)
        {
            if (freed >= toCut) break;
            // Resumable like a backpressure cut: the session continues if the ring still holds its next event.
            if (!client.Close(GatewayCloseCode.UnknownError, LowMemoryReason, ClientDisconnectReason.LowMemory, keepSession: true)) continue;
            _cutForMemory.Add((client, backlog));
            freed += backlog;
            cut++;
        }

        if (cut == 0)
        {
            memory.NothingToCut(nowMs);
            EgressLog.LowMemoryNothingToCut(_context.Logger, Mib(memory.HeapBytes), Mib(memory.Limit), Percent(memory.HeapBytes, memory.Limit), _context.Connections.Count);
            return;
        }

        EgressLog.LowMemoryCut(_context.Logger, Mib(memory.HeapBytes), Mib(memory.Limit), Percent(memory.HeapBytes, memory.Limit), cut, Mib(freed), candidates.Count);
    }

    private void LogStateChange(MemoryGuard memory, MemoryState state)
    {
        string heap = Mib(memory.HeapBytes);
        string limit = Mib(memory.Limit);
        string percent = Percent(memory.HeapBytes, memory.Limit);
        switch (state)
        {
            case MemoryState.Normal:
                EgressLog.MemoryRecovered(_context.Logger, heap, limit, percent);
                break;
            case MemoryState.Refusing when _loggedState == MemoryState.Normal:
                EgressLog.LowMemoryRefusing(_context.Logger, heap, limit, percent, Mib(memory.ResumeBytes));
                break;
            case MemoryState.Shedding:
                EgressLog.LowMemoryShedding(_context.Logger, heap, limit, percent);
                break;
        }
    }

    /// <summary>The body of the 503 a new client gets while memory is low.</summary>
    private string LowMemoryRefusal()
    {
        MemoryGuard memory = _context.Memory;
        return string.Create(CultureInfo.InvariantCulture,
            $"{LowMemoryReason}: its GC heap is {Mib(memory.HeapBytes)} of its {Mib(memory.Limit)} memory limit; new clients are refused until it is below {Mib(memory.ResumeBytes)}, try again later");
    }

    private static string Mib(long bytes) => string.Create(CultureInfo.InvariantCulture, $"{bytes / (1024.0 * 1024.0):F1} MiB");

    private static string Percent(long part, long whole) => string.Create(CultureInfo.InvariantCulture, $"{100.0 * part / whole:F0}%");
}
