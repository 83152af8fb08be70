using GatewayProxy.Protocol.Gateway;
using System.Buffers;
using GatewayProxy.Simulator.Data;

namespace GatewayProxy.Simulator.Sessions;

/// <summary>Pre-generated dispatches: made once, replayed to every ready session with its own sequence.</summary>
internal sealed partial class ShardRuntime
{
    private readonly ArrayBufferWriter<byte> _firehoseScratch = new(4096);

    /// <summary>Generates up to <paramref name="count"/> live dispatches (state updated) without sending them.</summary>
    public List<PreparedDispatch> GenerateLocked(int count)
    {
        var prepared = new List<PreparedDispatch>(count);
        while (prepared.Count < count)
        {
            _scratch.Clear();
            if (_generator.Next(GatewayIntents.All, count - prepared.Count, _scratch) == 0)
            {
                break;
            }

            foreach (var e in _scratch)
            {
                var data = e.GuildCreate is { } guild
                    ? GuildViews.GuildCreateBytes(guild, GatewayIntents.All, 250, _simulator.State.BotUserId)
                    : e.Data;
                prepared.Add(new PreparedDispatch(e.Type, data));
            }
        }

        Data.Hot.Trim(_simulator.Options.HotGuildsPerShard);
        return prepared;
    }

    /// <summary>Sends <paramref name="count"/> pool entries from <paramref name="start"/> (wrapping) to every ready session; returns the session count.</summary>
    public int EmitPreparedLocked(IReadOnlyList<PreparedDispatch> pool, long start, int count)
    {
        var receivers = 0;
        foreach (var session in Sessions)
        {
            if (!session.Valid || !session.Ready)
            {
                continue;
            }

            receivers++;
            for (var i = 0; i < count; i++)
            {
                var e = pool[(int)((start + i) % pool.Count)];
                session.SendUnlogged(e.TypeBytes, e.Data, _firehoseScratch);
            }
        }

        return receivers;
    }
}
