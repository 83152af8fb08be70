using GatewayProxy.Shards;
using GatewayProxy.Egress.Server;
using GatewayProxy.Egress.Clients;
using GatewayProxy.Egress.Relay;
using GatewayProxy.Egress.Sessions;
using Microsoft.Extensions.Logging;

namespace GatewayProxy.Egress;

/// <summary>Periodic work: heartbeat deadlines, session expiry, waking workers for their deadline checks; gauges before a scrape.</summary>
public sealed partial class ProxyServer
{
    private async Task MaintenanceLoopAsync()
    {
        // Fine enough for a 41 s heartbeat; tests with short intervals tick faster.
        TimeSpan period = TimeSpan.FromMilliseconds(Math.Clamp(_context.Options.HeartbeatIntervalMs / 4, 50, 1000));
        using var timer = new PeriodicTimer(period);
        while (await timer.WaitForNextTickAsync(_stop.Token).ConfigureAwait(false))
        {
            try
            {
                Tick();
            }
            catch (Exception e)
            {
                EgressLog.MaintenanceFailed(_context.Logger, e);
            }
        }
    }

    private void Tick()
    {
        long now = Environment.TickCount64;
        foreach (ClientConnection client in _context.Connections.Keys)
        {
            client.CheckAuthenticated(now);
            client.CheckHeartbeat(now);
        }

        int expired = _context.Sessions.Expire(now, _context.Options.SessionTtl);
        if (expired > 0) EgressLog.SessionsExpired(_context.Logger, expired);
        foreach (EgressWorker worker in _context.Workers) worker.Wake();
    }

    private void UpdateGauges()
    {
        if (Volatile.Read(ref _disposed) != 0) return;
        IShardDirectory shards = _context.Shards;
        int count = Math.Max(0, shards.ShardEnd - shards.ShardStart);
        Span<int> clients = count <= 256 ? stackalloc int[count] : new int[count];
        Span<long> lag = count <= 256 ? stackalloc long[count] : new long[count];
        long native = 0;
        foreach (ClientConnection connection in _context.Connections.Keys)
        {
            native += connection.Output.NativeMemoryEstimate;
            ClientSession? session = connection.Session;
            if (session is { IsVirtual: true })
            {
                // A virtual-shard client is a client of every shard it reads, with that ring's lag.
                foreach (RelayCursor lane in session.Lanes)
                {
                    int laneIndex = lane.ShardId - shards.ShardStart;
                    if ((uint)laneIndex >= (uint)count) continue;
                    clients[laneIndex]++;
                    if (connection.IsLive) lag[laneIndex] = Math.Max(lag[laneIndex], lane.Reader?.Lag ?? 0);
                }

                continue;
            }

            int index = connection.ShardId - shards.ShardStart;
            if ((uint)index >= (uint)count) continue;
            clients[index]++;
            lag[index] = Math.Max(lag[index], connection.Lag);
        }

        long ringBytes = 0;
        long limitTrims = 0;
        for (int i = 0; i < count; i++)
        {
            IShardFeed? feed = shards.GetShard(shards.ShardStart + i);
            _context.Metrics.ClientsFor(shards.ShardStart + i).Set(clients[i]);
            _context.Metrics.LagFor(shards.ShardStart + i).Set(lag[i]);
            _context.Metrics.OccupancyFor(shards.ShardStart + i).Set(RingOccupancy(feed, lag[i]));
            long bytes = feed?.Ring.HeldBytes ?? 0;
            _context.Metrics.RingBytesFor(shards.ShardStart + i).Set(bytes);
            ringBytes += bytes;
            limitTrims += feed?.Ring.LimitTrims ?? 0;
        }

        // The shards of this process share one budget, so their sum is the process's ring memory.
        _context.Metrics.RingMemoryBytes.Set(ringBytes);
        _context.Metrics.RingLimitTrims.IncTo(limitTrims);

        _context.Metrics.NativeBytes.Set(native);
        _context.Metrics.MemoryLimitBytes.Set(_context.Memory.Limit);
        _context.Metrics.MemoryHeapBytes.Set(_context.Memory.ReadHeap());
        _context.Metrics.MemoryState.Set((int)_context.Memory.State);
        _context.Metrics.Sessions.Set(_context.Sessions.Count);
        _context.Metrics.OpenConnections.Set(_limiter.Open);
    }

    /// <summary>How far the shard's slowest live reader is behind the ring cursor: the furthest-behind client
    /// (<paramref name="clientLag"/>) or a gating reader (the cache updater, a snapshot hold), capped at the ring size.</summary>
    internal static long RingOccupancy(IShardFeed? feed, long clientLag)
    {
        if (feed is null) return 0;
        long behind = clientLag;
        long gating = feed.Ring.MinimumGatingPosition; // long.MaxValue when nothing gates
        if (gating != long.MaxValue) behind = Math.Max(behind, feed.Ring.Cursor - gating);
        return Math.Clamp(behind, 0, feed.Ring.Size);
    }
}
