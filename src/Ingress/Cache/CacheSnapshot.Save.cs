using System.Buffers;
using GatewayProxy.Ingress.State;

namespace GatewayProxy.Ingress.Cache;

/// <summary>The snapshot as the state file saves it.</summary>
public sealed partial class CacheSnapshot
{
    /// <summary>Every guild as a complete GUILD_CREATE (all members and presences) plus READY's user and application.</summary>
    /// <remarks>GUILD_CREATE JSON rather than the cache's own layout: <see cref="ShardCache.Restore"/> feeds it back
    /// through the normal GUILD_CREATE path, so a restart with other cache flags keeps only what the new flags say.</remarks>
    internal SavedCache ToSaved()
    {
        var complete = new GuildCreateOptions(int.MaxValue, GuildPresencesIntent: true, GuildMembersIntent: true, _root.BotUserId) { Complete = true };
        var buffer = new ArrayBufferWriter<byte>(64 * 1024);
        var guilds = new List<SavedGuild>(_root.Guilds.Count);
        foreach (ulong id in GuildIds)
        {
            buffer.ResetWrittenCount();
            guilds.Add(new SavedGuild(id, TryWriteGuildCreate(id, buffer, complete) ? buffer.WrittenSpan.ToArray() : null));
        }

        return new SavedCache(_root.BotUserJson, _root.ApplicationJson, guilds);
    }
}
