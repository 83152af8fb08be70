using GatewayProxy.Protocol.Gateway;
using GatewayProxy.Egress.Server;
using System.Collections.Concurrent;
using GatewayProxy.Egress.Buffers;
using GatewayProxy.Egress.Clients;
using GatewayProxy.Protocol.Events;
using GatewayProxy.Ring;
using Microsoft.Extensions.Logging;

namespace GatewayProxy.Egress.Relay;

/// <summary>One relay worker: drains many clients' ring readers into their outputs. Not a thread per client: one async
/// loop that sleeps on a <see cref="RingSignal"/> armed on every ring its clients read.</summary>
/// <remarks>
/// Loop: apply attach/detach commands; pump every client once (one batch each, so a busy client cannot starve the
/// others); if nobody had more, arm each ring's subscription at the lowest position that would give work and sleep.
/// A client whose flush is pending is parked: it is skipped (its socket is the bottleneck, not the worker) and its
/// output's flush completion sets the signal. For a parked client the ring is armed at position + backpressure, so the
/// publish that puts it over the limit wakes the worker to cut it.
/// </remarks>
internal sealed partial class EgressWorker : IAsyncDisposable
{
    /// <summary>Events per client per pass.</summary>
    public const int MaxBatch = 256;

    private readonly RingSignal _signal = new();
    private readonly ConcurrentQueue<(ClientConnection Client, bool Attach)> _commands = new();
    private readonly List<ClientConnection> _clients = [];
    private readonly List<RingEntry> _rings = [];
    private readonly PooledBufferWriter _splice = new(64 * 1024);
    private readonly PooledBufferWriter _encode = new(64 * 1024);
    private readonly PooledBufferWriter _restore = new(4096);
    private readonly CancellationTokenSource _stop = new();
    private readonly int _backpressure;
    private readonly ILogger _logger;
    private readonly Task _loop;
    private int _clientCount;

    public EgressWorker(int index, int backpressure, ILogger logger)
    {
        Index = index;
        _backpressure = backpressure;
        _logger = logger;
        _loop = Task.Run(RunAsync);
    }

    /// <summary>The worker's number (logs).</summary>
    public int Index { get; }

    /// <summary>Clients attached (for balancing).</summary>
    public int ClientCount => Volatile.Read(ref _clientCount);

    /// <summary>The signal that wakes this worker (rings, flush completions, commands, the maintenance tick).</summary>
    public RingSignal Signal => _signal;

    /// <summary>Hands a client (session ready to relay) to this worker.</summary>
    public void Attach(ClientConnection client)
    {
        Interlocked.Increment(ref _clientCount);
        _commands.Enqueue((client, true));
        _signal.Set();
    }

    /// <summary>Asks the worker to drop a client; <see cref="ClientConnection.WorkerReleased"/> completes when it did.</summary>
    public void Detach(ClientConnection client)
    {
        _commands.Enqueue((client, false));
        _signal.Set();
    }

    /// <summary>Wakes the worker for a pass (deadline checks).</summary>
    public void Wake() => _signal.Set();

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        try
        {
            await _loop.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Stopped while asleep.
        }

        // Anything still attached is released so its connection's teardown can finish.
        while (_commands.TryDequeue(out (ClientConnection Client, bool Attach) command)) command.Client.OnWorkerReleased();
        foreach (ClientConnection client in _clients) client.OnWorkerReleased();
        _clients.Clear();
        foreach (RingEntry ring in _rings) ring.Subscription.Dispose();
        _splice.Dispose();
        _encode.Dispose();
        _restore.Dispose();
        _stop.Dispose();
    }

    private async Task RunAsync()
    {
        CancellationToken ct = _stop.Token;
        int busyPasses = 0;
        while (!ct.IsCancellationRequested)
        {
            bool more;
            try
            {
                ApplyCommands();
                more = PumpAll();
                if (!more) more = !ArmAll();
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // A bug must not kill the relay for every client of this worker: log, drop nothing, keep going.
                EgressLog.WorkerFailed(_logger, e, Index);
                more = false;
            }

            if (more)
            {
                // Stay fair to the rest of the thread pool under sustained load.
                if (++busyPasses % 64 == 0) await Task.Yield();
                continue;
            }

            busyPasses = 0;
            await _signal.WaitAsync(ct).ConfigureAwait(false);
        }
    }

    private void ApplyCommands()
    {
        while (_commands.TryDequeue(out (ClientConnection Client, bool Attach) command))
        {
            ClientConnection client = command.Client;
            if (command.Attach)
            {
                foreach (RelayCursor lane in client.Session!.Lanes) lane.RingSlot = GetRingSlot(lane.Ring);
                _clients.Add(client);
                continue;
            }

            int index = _clients.IndexOf(client);
            if (index >= 0) RemoveAt(index);
        }
    }

    private void RemoveAt(int index)
    {
        ClientConnection client = _clients[index];
        int last = _clients.Count - 1;
        _clients[index] = _clients[last];
        _clients.RemoveAt(last);
        Interlocked.Decrement(ref _clientCount);
        client.OnWorkerReleased();
    }

    private int GetRingSlot(PayloadRing<EventMeta> ring)
    {
        for (int i = 0; i < _rings.Count; i++)
        {
            if (ReferenceEquals(_rings[i].Ring, ring)) return i;
        }

        _rings.Add(new RingEntry(ring, ring.Subscribe(_signal)));
        return _rings.Count - 1;
    }

    /// <summary>Pumps every client once; true when any has more to send right away.</summary>
    private bool PumpAll()
    {
        bool more = false;
        long now = Environment.TickCount64;
        for (int i = 0; i < _clients.Count;)
        {
            ClientConnection client = _clients[i];
            PumpResult result;
            try
            {
                // One branch per client per pass: a client at the upstream shard count takes today's path unchanged.
                result = client.Session!.IsVirtual ? PumpVirtual(client, now) : Pump(client, now);
            }
            catch (OutOfMemoryException)
            {
                // The heap is at its limit: this client's allocation failed, not the shard's. Say so, and keep its session
                // (resumable if the ring still holds its next event) like any other cut for memory.
                client.Close(GatewayCloseCode.UnknownError, ProxyServer.LowMemoryReason, Metrics.ClientDisconnectReason.LowMemory, keepSession: true);
                result = PumpResult.Removed;
            }
            catch (Exception e)
            {
                // A bug with one client's data must not stall the others: cut that client, keep relaying.
                EgressLog.WorkerFailed(_logger, e, Index);
                client.Close(GatewayCloseCode.UnknownError, "unknown error: the proxy failed to relay an event", Metrics.ClientDisconnectReason.RelayFailed, keepSession: false);
                result = PumpResult.Removed;
            }

            if (result == PumpResult.Removed)
            {
                RemoveAt(i);
                continue;
            }

            if (result == PumpResult.More) more = true;
            i++;
        }

        return more;
    }

    /// <summary>Arms every ring at the lowest position that would give work; false when data is already there.</summary>
    private bool ArmAll()
    {
        for (int r = 0; r < _rings.Count; r++) _rings[r].Min = long.MaxValue;
        for (int i = 0; i < _clients.Count; i++)
        {
            ClientConnection client = _clients[i];
            RelayCursor[]? lanes = client.Session?.Lanes;
            if (lanes is null) continue;
            foreach (RelayCursor cursor in lanes)
            {
                RingReader? reader = cursor.Reader;
                if (reader is null) continue;
                // A parked client needs attention only once it is over the backpressure limit.
                long after = client.Output.IsFlushPending
                    ? (cursor.Hold is null ? reader.Position + _backpressure : long.MaxValue)
                    : reader.Position;
                // A lane that finished its part of a RESUME replay waits for the others (RESUMED), not for its ring.
                if (cursor.IsReplaying && reader.Position >= cursor.ResumeTarget) continue;
                RingEntry entry = _rings[cursor.RingSlot];
                if (after < entry.Min) entry.Min = after;
            }
        }

        for (int r = 0; r < _rings.Count; r++)
        {
            RingEntry entry = _rings[r];
            if (entry.Min == long.MaxValue) continue;
            if (!entry.Subscription.Arm(entry.Min)) return false;
        }

        return true;
    }

    private enum PumpResult
    {
        Idle,
        More,
        Parked,
        Removed,
    }

    /// <summary>A ring this worker's clients read, its subscription, and a scratch minimum.</summary>
    private sealed class RingEntry(PayloadRing<EventMeta> ring, RingSubscription subscription)
    {
        public readonly PayloadRing<EventMeta> Ring = ring;
        public readonly RingSubscription Subscription = subscription;
        public long Min;
    }
}
