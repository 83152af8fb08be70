using System.Buffers;
using System.Collections;
using GatewayProxy.Cache.Persistence;

namespace GatewayProxy.Cache;

/// <summary>The snapshot as the state file saves it.</summary>
public sealed partial class CacheSnapshot
{
    /// <summary>Every guild as a complete GUILD_CREATE (all members and presences) plus READY's user and application.</summary>
    /// <remarks>GUILD_CREATE JSON rather than the cache's own layout: <see cref="ShardCache.Restore"/> feeds it back
    /// through the normal GUILD_CREATE path, so a restart with other cache flags keeps only what the new flags say.
    /// The guilds are serialized one at a time as the state file writer reaches them (the snapshot is immutable), so
    /// saving a large bot never holds a second copy of its whole cache as JSON.</remarks>
    internal SavedCache ToSaved() => new(_root.BotUserJson, _root.ApplicationJson, new SavedGuilds(this));

    /// <summary>A snapshot's guilds in id order, each serialized when it is read.</summary>
    private sealed class SavedGuilds(CacheSnapshot snapshot) : IReadOnlyList<SavedGuild>
    {
        private readonly ulong[] _ids = [.. snapshot.GuildIds];
        private readonly GuildCreateOptions _complete =
            new(int.MaxValue, GuildPresencesIntent: true, GuildMembersIntent: true, snapshot._root.BotUserId) { Complete = true };
        private readonly ArrayBufferWriter<byte> _buffer = new(64 * 1024);

        public int Count => _ids.Length;

        public SavedGuild this[int index]
        {
            get
            {
                ulong id = _ids[index];
                // One reader at a time (the state file writer): the scratch buffer is reused for every guild.
                lock (_buffer)
                {
                    _buffer.ResetWrittenCount();
                    return new SavedGuild(id, snapshot.TryWriteGuildCreate(id, _buffer, _complete) ? _buffer.WrittenSpan.ToArray() : null);
                }
            }
        }

        public IEnumerator<SavedGuild> GetEnumerator()
        {
            for (int i = 0; i < _ids.Length; i++) yield return this[i];
        }

        IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
    }
}
