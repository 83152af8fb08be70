using GatewayProxy.Egress.Clients;
using GatewayProxy.Egress.Metrics;
using GatewayProxy.Protocol.Gateway;
using GatewayProxy.Shards;

namespace GatewayProxy.Egress;

/// <summary>The client side of a reshard (docs/architecture.md, "Resharding"): new sessions come from the new shard set
/// at once, clients of the old one are sent op 7, and their RESUME is answered with op 9 <c>d:false</c>.</summary>
public sealed partial class ProxyServer
{
    /// <summary>The reshard in progress shown by /health, or null.</summary>
    public ReshardProgress? Reshard
    {
        get => _context.Reshard;
        set => _context.Reshard = value;
    }

    /// <summary>The shard set new sessions are served from.</summary>
    public IShardDirectory Shards => _context.Shards;

    /// <summary>Serves every new IDENTIFY from <paramref name="next"/> and sends op 7 to every client of an older set;
    /// returns how many were sent it.</summary>
    public int SwitchShards(IShardDirectory next)
    {
        ArgumentNullException.ThrowIfNull(next);
        int generation = _context.SwitchTo(next);
        // The set is published before the sessions are read; BeginStart publishes its session before reading the set,
        // so a connection identifying meanwhile is sent op 7 by one side or the other.
        Interlocked.MemoryBarrier();
        int sent = 0;
        foreach (ClientConnection client in _context.Connections.Keys)
        {
            if (client.Session is { } session && session.Generation < generation && client.RequestReconnect()) sent++;
        }

        _context.Sessions.EndDetachedBefore(generation);
        return sent;
    }

    /// <summary>Clients of a replaced set still connected (op 7 sent, not yet reconnected).</summary>
    public int ClientsOnReplacedShards()
    {
        int generation = _context.Generation;
        int count = 0;
        foreach (ClientConnection client in _context.Connections.Keys)
        {
            if (client.Session is { } session && session.Generation < generation) count++;
        }

        return count;
    }

    /// <summary>Closes (1012) every client still on a replaced set, and ends their sessions: the set is about to stop.</summary>
    public int CloseClientsOnReplacedShards()
    {
        int generation = _context.Generation;
        int closed = 0;
        foreach (ClientConnection client in _context.Connections.Keys)
        {
            if (client.Session is { } session && session.Generation < generation
                && client.Close(GatewayCloseCode.ServiceRestart, "gateway proxy resharded: reconnect", ClientDisconnectReason.Resharded, keepSession: false))
            {
                closed++;
            }
        }

        _context.Sessions.EndDetachedBefore(generation);
        return closed;
    }
}
