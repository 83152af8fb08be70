using System.Buffers;
using GatewayProxy.Cache.Json;
using GatewayProxy.Cache.Persistence;

namespace GatewayProxy.Cache;

/// <summary>Filling an empty cache from a state file.</summary>
public sealed partial class ShardCache
{
    /// <summary>
    /// Rebuilds the cache from <paramref name="saved"/> through the normal READY and GUILD_CREATE paths, at position -1,
    /// so the restored state counts as "before the first ring event"; returns the guilds restored.
    /// </summary>
    /// <remarks>Single writer: call before the cache updater starts.</remarks>
    internal int Restore(SavedCache saved)
    {
        ArgumentNullException.ThrowIfNull(saved);
        var ready = new ArrayBufferWriter<byte>(256 + (saved.Guilds.Count * 32));
        ready.Raw("{\"user\":"u8);
        ready.Raw(saved.BotUserJson.Length > 0 ? saved.BotUserJson : "null"u8);
        ready.Raw(",\"application\":"u8);
        ready.Raw(saved.ApplicationJson.Length > 0 ? saved.ApplicationJson : "null"u8);
        ready.Raw(",\"guilds\":["u8);
        for (int i = 0; i < saved.Guilds.Count; i++)
        {
            if (i > 0)
            {
                ready.Byte((byte)',');
            }

            ready.Raw("{\"id\":"u8);
            ready.QuotedSnowflake(saved.Guilds[i].Id);
            ready.Raw(",\"unavailable\":true}"u8);
        }

        ready.Raw("]}"u8);
        ApplyReady(ready.WrittenSpan, -1);
        int restored = 0;
        foreach (SavedGuild guild in saved.Guilds)
        {
            if (guild.GuildCreateJson is { } json && ApplyDispatch("GUILD_CREATE"u8, json, -1) == CacheApplyResult.Applied)
            {
                restored++;
            }
        }

        return restored;
    }
}
