using System.Collections.Immutable;
using GatewayProxy.Ingress.Cache.Json;

namespace GatewayProxy.Ingress.Cache;

/// <summary>Channels, threads, roles, emojis, stickers, stage instances, scheduled events, soundboard sounds.</summary>
public sealed partial class ShardCache
{
    private CacheRoot ApplyChannelUpsert(ReadOnlySpan<byte> data, CacheRoot root, long position) =>
        ApplyEntityUpsert(CacheEntityKind.Channels, data, root, position);

    /// <summary>Adds or replaces one entity whose object (with <c>guild_id</c>) is the event data.</summary>
    private CacheRoot ApplyEntityUpsert(CacheEntityKind kind, ReadOnlySpan<byte> data, CacheRoot root, long position)
    {
        if (!_keeps[(int)kind]
            || !JsonValue.TryGetSnowflakeProperty(data, "guild_id"u8, out ulong guildId)
            || !TryGetGuild(root, guildId, out GuildState guild)
            || !TryNormalize(kind, data, root.BotUserId, out ulong id, out CachedEntity entity))
        {
            return root;
        }

        return Replace(root, guild, guild.WithEntity(kind, id, entity), position);
    }

    /// <summary>Removes one entity named by <paramref name="idName"/> in the event data.</summary>
    private CacheRoot ApplyEntityDelete(CacheEntityKind kind, ReadOnlySpan<byte> idName, ReadOnlySpan<byte> data, CacheRoot root, long position)
    {
        if (!_keeps[(int)kind])
        {
            return root;
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

        if (!TryGetGuild(root, guildId, out GuildState guild))
        {
            return root;
        }

        return Replace(root, guild, guild.WithoutEntity(kind, id), position);
    }

    private CacheRoot ApplyThreadUpsert(ReadOnlySpan<byte> data, CacheRoot root, long position)
    {
        if (!_keeps[(int)CacheEntityKind.Threads]
            || !JsonValue.TryGetSnowflakeProperty(data, "guild_id"u8, out ulong guildId)
            || !TryGetGuild(root, guildId, out GuildState guild)
            || !TryBuildThread(data, out ulong id, out CachedEntity entity, out bool archived))
        {
            return root;
        }

        // GUILD_CREATE lists active threads only: an archived thread leaves the cache.
        GuildState updated = archived ? guild.WithoutEntity(CacheEntityKind.Threads, id) : guild.WithEntity(CacheEntityKind.Threads, id, entity);
        return Replace(root, guild, updated, position);
    }

    private CacheRoot ApplyThreadListSync(ReadOnlySpan<byte> data, CacheRoot root, long position)
    {
        if (!_keeps[(int)CacheEntityKind.Threads]
            || !JsonValue.TryGetSnowflakeProperty(data, "guild_id"u8, out ulong guildId)
            || !TryGetGuild(root, guildId, out GuildState guild))
        {
            return root;
        }

        ImmutableSortedDictionary<ulong, CachedEntity> current = guild.Get(CacheEntityKind.Threads);
        ImmutableSortedDictionary<ulong, CachedEntity>.Builder threads;
        if (JsonObjectEnumerator.TryGet(data, "channel_ids"u8, out ReadOnlySpan<byte> channelIds) && !JsonValue.IsNull(channelIds))
        {
            // Synced for some parents only: drop the threads of those parents, keep the others.
            threads = current.ToBuilder();
            foreach (KeyValuePair<ulong, CachedEntity> pair in current)
            {
                if (JsonValue.TryGetSnowflakeProperty(pair.Value.Json, "parent_id"u8, out ulong parent) && ArrayContainsSnowflake(channelIds, parent))
                {
                    threads.Remove(pair.Key);
                }
            }
        }
        else
        {
            threads = ImmutableSortedDictionary.CreateBuilder<ulong, CachedEntity>();
        }

        if (JsonObjectEnumerator.TryGet(data, "threads"u8, out ReadOnlySpan<byte> list))
        {
            AddAll(CacheEntityKind.Threads, list, root.BotUserId, threads);
        }

        return Replace(root, guild, guild.WithCollection(CacheEntityKind.Threads, threads.ToImmutable()), position);
    }

    private CacheRoot ApplyRoleUpsert(ReadOnlySpan<byte> data, CacheRoot root, long position)
    {
        if (!_keeps[(int)CacheEntityKind.Roles]
            || !JsonValue.TryGetSnowflakeProperty(data, "guild_id"u8, out ulong guildId)
            || !TryGetGuild(root, guildId, out GuildState guild)
            || !JsonObjectEnumerator.TryGet(data, "role"u8, out ReadOnlySpan<byte> role)
            || !TryBuildRole(role, out ulong id, out CachedEntity entity))
        {
            return root;
        }

        return Replace(root, guild, guild.WithEntity(CacheEntityKind.Roles, id, entity), position);
    }

    /// <summary>Replaces a whole collection with the array <paramref name="listName"/> of the event data.</summary>
    private CacheRoot ApplyListReplace(CacheEntityKind kind, ReadOnlySpan<byte> listName, ReadOnlySpan<byte> data, CacheRoot root, long position)
    {
        if (!_keeps[(int)kind]
            || !JsonValue.TryGetSnowflakeProperty(data, "guild_id"u8, out ulong guildId)
            || !TryGetGuild(root, guildId, out GuildState guild)
            || !JsonObjectEnumerator.TryGet(data, listName, out ReadOnlySpan<byte> list))
        {
            return root;
        }

        ImmutableSortedDictionary<ulong, CachedEntity>.Builder builder = ImmutableSortedDictionary.CreateBuilder<ulong, CachedEntity>();
        AddAll(kind, list, root.BotUserId, builder);
        return Replace(root, guild, guild.WithCollection(kind, builder.ToImmutable()), position);
    }

    /// <summary>Adds or replaces each element of the array <paramref name="listName"/> of the event data.</summary>
    private CacheRoot ApplyListUpsert(CacheEntityKind kind, ReadOnlySpan<byte> listName, ReadOnlySpan<byte> data, CacheRoot root, long position)
    {
        if (!_keeps[(int)kind]
            || !JsonValue.TryGetSnowflakeProperty(data, "guild_id"u8, out ulong guildId)
            || !TryGetGuild(root, guildId, out GuildState guild)
            || !JsonObjectEnumerator.TryGet(data, listName, out ReadOnlySpan<byte> list))
        {
            return root;
        }

        GuildState updated = guild;
        var e = new JsonArrayEnumerator(list);
        while (e.MoveNext())
        {
            if (TryNormalize(kind, e.Current, root.BotUserId, out ulong id, out CachedEntity entity))
            {
                updated = updated.WithEntity(kind, id, entity);
            }
        }

        return Replace(root, guild, updated, position);
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
