using GatewayProxy.Protocol.Gateway;
using System.Buffers;
using GatewayProxy.Simulator.Data;

namespace GatewayProxy.Simulator.Sessions;

/// <summary>Pre-generated dispatches: made once, replayed to every ready session with its own sequence.</summary>
internal sealed partial class ShardRuntime
{
    private readonly ArrayBufferWriter<byte> _firehoseScratch = new(4096);

    /// <summary>Generates up to <paramref name="count"/> live dispatches (state updated) as a session with these intents receives them, without sending them.</summary>
    public List<PreparedDispatch> GenerateLocked(int count, long intents, int largeThreshold)
    {
        var prepared = new List<PreparedDispatch>(count);
        var contentless = (intents & GatewayIntents.MessageContent) == 0;
        while (prepared.Count < count)
        {
            _scratch.Clear();
            if (_generator.Next(intents, count - prepared.Count, _scratch) == 0)
            {
                break;
            }

            foreach (var e in _scratch)
            {
                var data = e.GuildCreate is { } guild
                    ? GuildViews.GuildCreateBytes(guild, intents, largeThreshold, _simulator.State.BotUserId)
                    : contentless && e.DataWithoutContent is { } blank ? blank : e.Data;
                prepared.Add(new PreparedDispatch(e.Type, data));
            }
        }

        Data.Hot.Trim(_simulator.Options.HotGuildsPerShard);
        return prepared;
    }

    /// <summary>GUILD_DELETE (unavailable) for <paramref name="guilds"/> guilds from READY position <paramref name="firstGuild"/>, then their GUILD_CREATEs.</summary>
    public List<PreparedDispatch> OutageLocked(int firstGuild, int guilds, long intents, int largeThreshold)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(firstGuild);
        ArgumentOutOfRangeException.ThrowIfNegative(guilds);
        var chosen = Data.Guilds.Skip(firstGuild).Take(guilds).ToList();
        var prepared = new List<PreparedDispatch>(chosen.Count * 2);
        foreach (var guild in chosen)
        {
            prepared.Add(new PreparedDispatch("GUILD_DELETE", Json.ToBytes(new System.Text.Json.Nodes.JsonObject { ["id"] = guild.IdString, ["unavailable"] = true })));
        }

        foreach (var guild in chosen)
        {
            prepared.Add(new PreparedDispatch("GUILD_CREATE", GuildViews.GuildCreateBytes(guild, intents, largeThreshold, _simulator.State.BotUserId)));
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
