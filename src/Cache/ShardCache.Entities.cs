using GatewayProxy.Cache.Json;

namespace GatewayProxy.Cache;

/// <summary>Channels, threads, roles, emojis, stickers, stage instances, scheduled events, soundboard sounds.</summary>
public sealed partial class ShardCache
{
    private void ApplyChannelUpsert(ReadOnlySpan<byte> data) => ApplyEntityUpsert(CacheEntityKind.Channels, data);

    /// <summary>Adds or replaces one entity whose object (with <c>guild_id</c>) is the event data.</summary>
    private void ApplyEntityUpsert(CacheEntityKind kind, ReadOnlySpan<byte> data)
    {
        if (_keeps[(int)kind]
            && JsonValue.TryGetSnowflakeProperty(data, "guild_id"u8, out ulong guildId)
            && TryGetGuild(guildId, out GuildState guild)
            && TryNormalize(kind, data, _root.BotUserId, out ulong id, out Normalized entity))
        {
            Writable(guild).SetEntity(kind, id, entity.Json, entity.Notable);
        }
    }

    /// <summary>Removes one entity named by <paramref name="idName"/> in the event data.</summary>
    private void ApplyEntityDelete(CacheEntityKind kind, ReadOnlySpan<byte> idName, ReadOnlySpan<byte> data)
    {
        if (!_keeps[(int)kind])
        {
            return;
        }

        ulong guildId = 0;
        ulong id = 0;
        var e = new JsonObjectEnumerator(data);
        while (e.MoveNext())
        {
            if (e.Name.SequenceEqual("guild_id"u8))
            {
                JsonValue.TryGetSnowflake(e.Value, out guildId);
            }
            else if (e.Name.SequenceEqual(idName))
            {
                JsonValue.TryGetSnowflake(e.Value, out id);
            }
        }

        RemoveEntity(guildId, kind, id);
    }

    /// <summary>Removes one entity of an available guild, cloning nothing when it is not there.</summary>
    private void RemoveEntity(ulong guildId, CacheEntityKind kind, ulong id)
    {
        if (TryGetGuild(guildId, out GuildState guild) && guild.Get(kind).ContainsKey(id))
        {
            Writable(guild).RemoveEntity(kind, id);
        }
    }

    private void ApplyThreadUpsert(ReadOnlySpan<byte> data)
    {
        if (!_keeps[(int)CacheEntityKind.Threads]
            || !JsonValue.TryGetSnowflakeProperty(data, "guild_id"u8, out ulong guildId)
            || !TryGetGuild(guildId, out GuildState guild)
            || !TryBuildThread(data, out ulong id, out Normalized entity, out bool archived))
        {
            return;
        }

        // GUILD_CREATE lists active threads only: an archived thread leaves the cache.
        if (archived)
        {
            RemoveEntity(guildId, CacheEntityKind.Threads, id);
        }
        else
        {
            Writable(guild).SetEntity(CacheEntityKind.Threads, id, entity.Json, entity.Notable);
        }
    }

    private void ApplyThreadListSync(ReadOnlySpan<byte> data)
    {
        if (!_keeps[(int)CacheEntityKind.Threads]
            || !JsonValue.TryGetSnowflakeProperty(data, "guild_id"u8, out ulong guildId)
            || !TryGetGuild(guildId, out GuildState guild))
        {
            return;
        }

        EntityMap current = guild.Get(CacheEntityKind.Threads);
        var threads = new EntityMap(_epoch, current.Count);
        if (JsonObjectEnumerator.TryGet(data, "channel_ids"u8, out ReadOnlySpan<byte> channelIds) && !JsonValue.IsNull(channelIds))
        {
            // Synced for some parents only: keep the threads of the other parents (their buffers are shared, never written).
            foreach (KeyValuePair<ulong, CachedEntity> pair in current)
            {
                if (!JsonValue.TryGetSnowflakeProperty(pair.Value.Json, "parent_id"u8, out ulong parent) || !ArrayContainsSnowflake(channelIds, parent))
                {
                    threads.Put(pair.Key, pair.Value);
                }
            }
        }

        if (JsonObjectEnumerator.TryGet(data, "threads"u8, out ReadOnlySpan<byte> list))
        {
            EntityBatch batch = ReadList(CacheEntityKind.Threads, list);
            for (int i = 0; i < batch.Count; i++)
            {
                threads.Load(batch.IdAt(i), batch.JsonAt(i), batch.NotableAt(i));
            }
        }

        Writable(guild).SetCollection(CacheEntityKind.Threads, threads);
    }

    private void ApplyRoleUpsert(ReadOnlySpan<byte> data)
    {
        if (_keeps[(int)CacheEntityKind.Roles]
            && JsonValue.TryGetSnowflakeProperty(data, "guild_id"u8, out ulong guildId)
            && TryGetGuild(guildId, out GuildState guild)
            && JsonObjectEnumerator.TryGet(data, "role"u8, out ReadOnlySpan<byte> role)
            && TryBuildRole(role, out ulong id, out Normalized entity))
        {
            Writable(guild).SetEntity(CacheEntityKind.Roles, id, entity.Json, entity.Notable);
        }
    }

    /// <summary>Replaces a whole collection with the array <paramref name="listName"/> of the event data.</summary>
    private void ApplyListReplace(CacheEntityKind kind, ReadOnlySpan<byte> listName, ReadOnlySpan<byte> data)
    {
        if (_keeps[(int)kind]
            && JsonValue.TryGetSnowflakeProperty(data, "guild_id"u8, out ulong guildId)
            && TryGetGuild(guildId, out GuildState guild)
            && JsonObjectEnumerator.TryGet(data, listName, out ReadOnlySpan<byte> list))
        {
            EntityBatch batch = ReadList(kind, list);
            EntityMap map = batch.Count == 0 ? EntityMap.Empty : EntityMap.FromBatch(_epoch, batch, compress: false);
            Writable(guild).SetCollection(kind, map);
        }
    }

    /// <summary>Adds or replaces each element of the array <paramref name="listName"/> of the event data.</summary>
    private void ApplyListUpsert(CacheEntityKind kind, ReadOnlySpan<byte> listName, ReadOnlySpan<byte> data)
    {
        if (!_keeps[(int)kind]
            || !JsonValue.TryGetSnowflakeProperty(data, "guild_id"u8, out ulong guildId)
            || !TryGetGuild(guildId, out GuildState guild)
            || !JsonObjectEnumerator.TryGet(data, listName, out ReadOnlySpan<byte> list))
        {
            return;
        }

        var e = new JsonArrayEnumerator(list);
        while (e.MoveNext())
        {
            if (TryNormalize(kind, e.Current, _root.BotUserId, out ulong id, out Normalized entity))
            {
                guild = Writable(guild);
                guild.SetEntity(kind, id, entity.Json, entity.Notable);
            }
        }
    }

    private static bool ArrayContainsSnowflake(ReadOnlySpan<byte> array, ulong id)
    {
        var e = new JsonArrayEnumerator(array);
        while (e.MoveNext())
        {
            if (JsonValue.TryGetSnowflake(e.Current, out ulong value) && value == id)
            {
                return true;
            }
        }

        return false;
    }
}
