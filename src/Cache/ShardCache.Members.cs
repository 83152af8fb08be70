using GatewayProxy.Cache.Json;

namespace GatewayProxy.Cache;

/// <summary>Members, presences and voice states.</summary>
public sealed partial class ShardCache
{
    private void ApplyMemberAdd(ReadOnlySpan<byte> data)
    {
        if (!JsonValue.TryGetSnowflakeProperty(data, "guild_id"u8, out ulong guildId) || !TryGetGuild(guildId, out GuildState guild))
        {
            return;
        }

        // Built before the first change, so malformed data leaves the guild as it was.
        bool keep = TryBuildMember(default, data, _root.BotUserId, out ulong userId, out Normalized member);
        guild = Writable(guild);
        guild.AddMemberCount(1);
        if (keep)
        {
            guild.SetEntity(CacheEntityKind.Members, userId, member.Json, member.Notable);
        }
    }

    private void ApplyMemberUpdate(ReadOnlySpan<byte> data)
    {
        if (JsonValue.TryGetSnowflakeProperty(data, "guild_id"u8, out ulong guildId) && TryGetGuild(guildId, out GuildState guild))
        {
            UpsertMember(guild, data);
        }
    }

    /// <summary>Merges a (partial) member over the cached one, or stores it when new; returns the guild as it now is.</summary>
    private GuildState UpsertMember(GuildState guild, ReadOnlySpan<byte> member)
    {
        ulong botUserId = _root.BotUserId;
        if (!JsonObjectEnumerator.TryGet(member, "user"u8, out ReadOnlySpan<byte> user)
            || !JsonValue.TryGetSnowflakeProperty(user, "id"u8, out ulong userId)
            || !KeepsMember(userId, botUserId))
        {
            return guild;
        }

        // The merge is written to the scratch buffer, so the old member's buffer may then be overwritten in place.
        ReadOnlySpan<byte> existing = guild.Get(CacheEntityKind.Members).TryGetValue(userId, out CachedEntity old) ? old.Json : default;
        if (!TryBuildMember(existing, member, botUserId, out ulong id, out Normalized entity))
        {
            return guild;
        }

        guild = Writable(guild);
        guild.SetEntity(CacheEntityKind.Members, id, entity.Json, entity.Notable);
        return guild;
    }

    private void ApplyMemberRemove(ReadOnlySpan<byte> data)
    {
        if (!JsonValue.TryGetSnowflakeProperty(data, "guild_id"u8, out ulong guildId)
            || !TryGetGuild(guildId, out GuildState guild)
            || !JsonObjectEnumerator.TryGet(data, "user"u8, out ReadOnlySpan<byte> user)
            || !JsonValue.TryGetSnowflakeProperty(user, "id"u8, out ulong userId))
        {
            return;
        }

        guild = Writable(guild);
        guild.AddMemberCount(-1);
        guild.RemoveEntity(CacheEntityKind.Members, userId);
        guild.RemoveEntity(CacheEntityKind.Presences, userId);
    }

    private void ApplyMembersChunk(ReadOnlySpan<byte> data)
    {
        if (!JsonValue.TryGetSnowflakeProperty(data, "guild_id"u8, out ulong guildId) || !TryGetGuild(guildId, out GuildState guild))
        {
            return;
        }

        var e = new JsonObjectEnumerator(data);
        while (e.MoveNext())
        {
            if (e.Name.SequenceEqual("members"u8))
            {
                var list = new JsonArrayEnumerator(e.Value);
                while (list.MoveNext())
                {
                    guild = UpsertMember(guild, list.Current);
                }
            }
            else if (e.Name.SequenceEqual("presences"u8) && _options.Presences)
            {
                var list = new JsonArrayEnumerator(e.Value);
                while (list.MoveNext())
                {
                    guild = SetPresence(guild, list.Current);
                }
            }
        }
    }

    private void ApplyPresenceUpdate(ReadOnlySpan<byte> data)
    {
        if (_options.Presences
            && JsonValue.TryGetSnowflakeProperty(data, "guild_id"u8, out ulong guildId)
            && TryGetGuild(guildId, out GuildState guild))
        {
            SetPresence(guild, data);
        }
    }

    /// <summary>Stores a presence, or removes the user's presence when offline; returns the guild as it now is.</summary>
    private GuildState SetPresence(GuildState guild, ReadOnlySpan<byte> presence)
    {
        if (!TryBuildPresence(presence, out ulong userId, out Normalized entity, out bool offline))
        {
            return guild;
        }

        if (offline)
        {
            if (guild.Get(CacheEntityKind.Presences).ContainsKey(userId))
            {
                guild = Writable(guild);
                guild.RemoveEntity(CacheEntityKind.Presences, userId);
            }

            return guild;
        }

        guild = Writable(guild);
        guild.SetEntity(CacheEntityKind.Presences, userId, entity.Json, entity.Notable);
        return guild;
    }

    private void ApplyVoiceStateUpdate(ReadOnlySpan<byte> data)
    {
        if (!JsonValue.TryGetSnowflakeProperty(data, "guild_id"u8, out ulong guildId) || !TryGetGuild(guildId, out GuildState guild))
        {
            return;
        }

        ReadOnlySpan<byte> member;
        if (_options.VoiceStates)
        {
            if (!TryBuildVoiceState(data, out ulong userId, out Normalized entity, out bool inChannel, out member))
            {
                return;
            }

            if (inChannel)
            {
                guild = Writable(guild);
                guild.SetEntity(CacheEntityKind.VoiceStates, userId, entity.Json, entity.Notable);
            }
            else if (guild.Get(CacheEntityKind.VoiceStates).ContainsKey(userId))
            {
                guild = Writable(guild);
                guild.RemoveEntity(CacheEntityKind.VoiceStates, userId);
            }
        }
        else if (!JsonObjectEnumerator.TryGet(data, "member"u8, out member))
        {
            return;
        }

        if (!member.IsEmpty && !JsonValue.IsNull(member))
        {
            UpsertMember(guild, member);
        }
    }
}
