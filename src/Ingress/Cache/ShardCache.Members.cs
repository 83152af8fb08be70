using GatewayProxy.Ingress.Cache.Json;

namespace GatewayProxy.Ingress.Cache;

/// <summary>Members, presences and voice states.</summary>
public sealed partial class ShardCache
{
    private CacheRoot ApplyMemberAdd(ReadOnlySpan<byte> data, CacheRoot root, long position)
    {
        if (!JsonValue.TryGetSnowflakeProperty(data, "guild_id"u8, out ulong guildId) || !TryGetGuild(root, guildId, out GuildState guild))
        {
            return root;
        }

        GuildState updated = guild.WithMemberCountDelta(1);
        if (TryBuildMember(default, data, root.BotUserId, out ulong userId, out CachedEntity member))
        {
            updated = updated.WithEntity(CacheEntityKind.Members, userId, member);
        }

        return Replace(root, guild, updated, position);
    }

    private CacheRoot ApplyMemberUpdate(ReadOnlySpan<byte> data, CacheRoot root, long position)
    {
        if (!JsonValue.TryGetSnowflakeProperty(data, "guild_id"u8, out ulong guildId) || !TryGetGuild(root, guildId, out GuildState guild))
        {
            return root;
        }

        return Replace(root, guild, UpsertMember(guild, data, root.BotUserId), position);
    }

    /// <summary>Merges a (partial) member over the cached one, or stores it when new; unchanged when not kept.</summary>
    private GuildState UpsertMember(GuildState guild, ReadOnlySpan<byte> member, ulong botUserId)
    {
        if (!JsonObjectEnumerator.TryGet(member, "user"u8, out ReadOnlySpan<byte> user)
            || !JsonValue.TryGetSnowflakeProperty(user, "id"u8, out ulong userId)
            || !KeepsMember(userId, botUserId))
        {
            return guild;
        }

        ReadOnlySpan<byte> existing = guild.Get(CacheEntityKind.Members).TryGetValue(userId, out CachedEntity old) ? old.Json : default;
        return TryBuildMember(existing, member, botUserId, out ulong id, out CachedEntity entity)
            ? guild.WithEntity(CacheEntityKind.Members, id, entity)
            : guild;
    }

    private static CacheRoot ApplyMemberRemove(ReadOnlySpan<byte> data, CacheRoot root, long position)
    {
        if (!JsonValue.TryGetSnowflakeProperty(data, "guild_id"u8, out ulong guildId)
            || !TryGetGuild(root, guildId, out GuildState guild)
            || !JsonObjectEnumerator.TryGet(data, "user"u8, out ReadOnlySpan<byte> user)
            || !JsonValue.TryGetSnowflakeProperty(user, "id"u8, out ulong userId))
        {
            return root;
        }

        GuildState updated = guild.WithMemberCountDelta(-1)
            .WithoutEntity(CacheEntityKind.Members, userId)
            .WithoutEntity(CacheEntityKind.Presences, userId);
        return Replace(root, guild, updated, position);
    }

    private CacheRoot ApplyMembersChunk(ReadOnlySpan<byte> data, CacheRoot root, long position)
    {
        if (!JsonValue.TryGetSnowflakeProperty(data, "guild_id"u8, out ulong guildId) || !TryGetGuild(root, guildId, out GuildState guild))
        {
            return root;
        }

        GuildState updated = guild;
        var e = new JsonObjectEnumerator(data);
        while (e.MoveNext())
        {
            if (e.Name.SequenceEqual("members"u8))
            {
                var list = new JsonArrayEnumerator(e.Value);
                while (list.MoveNext())
                {
                    updated = UpsertMember(updated, list.Current, root.BotUserId);
                }
            }
            else if (e.Name.SequenceEqual("presences"u8) && _options.Presences)
            {
                var list = new JsonArrayEnumerator(e.Value);
                while (list.MoveNext())
                {
                    updated = SetPresence(updated, list.Current);
                }
            }
        }

        return Replace(root, guild, updated, position);
    }

    private CacheRoot ApplyPresenceUpdate(ReadOnlySpan<byte> data, CacheRoot root, long position)
    {
        if (!_options.Presences
            || !JsonValue.TryGetSnowflakeProperty(data, "guild_id"u8, out ulong guildId)
            || !TryGetGuild(root, guildId, out GuildState guild))
        {
            return root;
        }

        return Replace(root, guild, SetPresence(guild, data), position);
    }

    /// <summary>Stores a presence, or removes the user's presence when offline.</summary>
    private GuildState SetPresence(GuildState guild, ReadOnlySpan<byte> presence)
    {
        if (!TryBuildPresence(presence, out ulong userId, out CachedEntity entity, out bool offline))
        {
            return guild;
        }

        return offline ? guild.WithoutEntity(CacheEntityKind.Presences, userId) : guild.WithEntity(CacheEntityKind.Presences, userId, entity);
    }

    private CacheRoot ApplyVoiceStateUpdate(ReadOnlySpan<byte> data, CacheRoot root, long position)
    {
        if (!JsonValue.TryGetSnowflakeProperty(data, "guild_id"u8, out ulong guildId) || !TryGetGuild(root, guildId, out GuildState guild))
        {
            return root;
        }

        GuildState updated = guild;
        if (_options.VoiceStates)
        {
            if (!TryBuildVoiceState(data, out ulong userId, out CachedEntity entity, out bool inChannel, out ReadOnlySpan<byte> member))
            {
                return root;
            }

            updated = inChannel ? updated.WithEntity(CacheEntityKind.VoiceStates, userId, entity) : updated.WithoutEntity(CacheEntityKind.VoiceStates, userId);
            if (!member.IsEmpty && !JsonValue.IsNull(member))
            {
                updated = UpsertMember(updated, member, root.BotUserId);
            }
        }
        else if (JsonObjectEnumerator.TryGet(data, "member"u8, out ReadOnlySpan<byte> member) && !JsonValue.IsNull(member))
        {
            updated = UpsertMember(updated, member, root.BotUserId);
        }

        return Replace(root, guild, updated, position);
    }
}
