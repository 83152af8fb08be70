using System.Collections.Concurrent;
using GatewayProxy.Simulator.Gateway;
using GatewayProxy.Simulator.Sessions;

namespace GatewayProxy.Simulator;

/// <summary>What <see cref="DiscordSimulator.InterruptNextBurst"/> injects into a GUILD_CREATE burst.</summary>
public enum BurstFault
{
    /// <summary>op 7 RECONNECT; the rest of the burst is still sent (replayed on RESUME), and the connection is closed later as usual.</summary>
    Reconnect,
    /// <summary>op 9 INVALID_SESSION <c>d:false</c>: the session ends, the rest of the burst is never sent.</summary>
    InvalidSession,
}

/// <summary>Faults in the middle of the READY + GUILD_CREATE burst that follows an IDENTIFY.</summary>
public sealed partial class DiscordSimulator
{
    private readonly ConcurrentDictionary<int, (int AfterGuilds, BurstFault Fault)> _burstFaults = new();

    /// <summary>Arms a fault for the next IDENTIFY of <paramref name="shard"/>: after <paramref name="afterGuilds"/> of its
    /// GUILD_CREATEs are queued, <paramref name="fault"/> is queued in line with them (so the client sees it mid-burst).</summary>
    public void InterruptNextBurst(int shard, int afterGuilds, BurstFault fault)
    {
        Shard(shard);
        ArgumentOutOfRangeException.ThrowIfNegative(afterGuilds);
        _burstFaults[shard] = (afterGuilds, fault);
    }

    /// <summary>Called under the shard's lock before each GUILD_CREATE of a burst; true when the burst must stop here.</summary>
    internal bool InterruptBurstLocked(ShardRuntime shard, int shardId, GatewaySession session, GatewayConnection connection, int guildsSent)
    {
        if (!_burstFaults.TryGetValue(shardId, out var armed) || armed.AfterGuilds != guildsSent
            || !_burstFaults.TryRemove(new KeyValuePair<int, (int, BurstFault)>(shardId, armed)))
        {
            return false;
        }

        Log($"connection {connection.Id} (shard {shardId}): {armed.Fault} after {guildsSent} GUILD_CREATEs");
        if (armed.Fault == BurstFault.Reconnect)
        {
            connection.EnqueueReconnect();
            _ = CloseLaterAsync(connection);
            return false;
        }

        connection.Session = null;
        session.Connection = null;
        session.DisconnectedAtTicks = Environment.TickCount64;
        session.Valid = false;
        shard.Sessions.Remove(session);
        connection.EnqueueInvalidSession(resumable: false);
        return true;
    }
}
