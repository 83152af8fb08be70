using System.Buffers;
using GatewayProxy.Cache.Json;

namespace GatewayProxy.Cache;

/// <summary>READY, GUILD_CREATE/UPDATE/DELETE and USER_UPDATE.</summary>
public sealed partial class ShardCache
{
    private void ApplyReadyCore(ReadOnlySpan<byte> data)
    {
        CacheRoot root = _root;
        byte[] user = root.BotUserJson;
        byte[] application = root.ApplicationJson;
        ulong botUserId = root.BotUserId;
        var guilds = new Dictionary<ulong, GuildState>();
        var e = new JsonObjectEnumerator(data);
        while (e.MoveNext())
        {
            if (e.Name.SequenceEqual("user"u8))
            {
                user = e.Value.ToArray();
                JsonValue.TryGetSnowflakeProperty(e.Value, "id"u8, out botUserId);
            }
            else if (e.Name.SequenceEqual("application"u8))
            {
                application = e.Value.ToArray();
            }
            else if (e.Name.SequenceEqual("guilds"u8))
            {
                var list = new JsonArrayEnumerator(e.Value);
                while (list.MoveNext())
                {
                    if (JsonValue.TryGetSnowflakeProperty(list.Current, "id"u8, out ulong guildId))
                    {
                        guilds[guildId] = GuildState.CreateUnavailable(guildId, _epoch);
                    }
                }
            }
        }

        _root = new CacheRoot(guilds, user, application, botUserId, _epoch);
        Volatile.Write(ref _botUserId, botUserId);
    }

    private void ApplyGuildUpdate(ReadOnlySpan<byte> data)
    {
        if (!JsonValue.TryGetSnowflakeProperty(data, "id"u8, out ulong guildId) || !TryGetGuild(guildId, out GuildState guild))
        {
            return;
        }

        // Merge rather than replace: GUILD_UPDATE may omit fields GUILD_CREATE had; collections stay as they are.
        ReadOnlySpan<byte> existing = guild.Properties;
        Span<Range> names = stackalloc Range[MaxCollectedNames];
        int count = CollectNames(data, names);
        ArrayBufferWriter<byte> props = _props;
        props.ResetWrittenCount();
        props.Byte((byte)'{');
        bool any = false;
        var old = new JsonObjectEnumerator(existing);
        while (old.MoveNext())
        {
            if (!ContainsName(data, names, count, old.Name))
            {
                AppendProperty(props, ref any, old.Name, old.Value);
            }
        }

        var e = new JsonObjectEnumerator(data);
        while (e.MoveNext())
        {
            if (!IsGuildCreateOnlyKey(e.Name))
            {
                AppendProperty(props, ref any, e.Name, e.Value);
            }
        }

        props.Byte((byte)'}');
        Writable(guild).SetProperties(props.WrittenSpan);
    }

    private void ApplyGuildDelete(ReadOnlySpan<byte> data)
    {
        ulong guildId = 0;
        bool unavailable = false;
        var e = new JsonObjectEnumerator(data);
        while (e.MoveNext())
        {
            if (e.Name.SequenceEqual("id"u8))
            {
                JsonValue.TryGetSnowflake(e.Value, out guildId);
            }
            else if (e.Name.SequenceEqual("unavailable"u8))
            {
                unavailable = JsonValue.IsTrue(e.Value);
            }
        }

        if (guildId == 0)
        {
            return;
        }

        if (unavailable)
        {
            // An outage: keep the id (clients get GUILD_DELETE unavailable), hide the content until GUILD_CREATE, which
            // refills it (the guild comes back with mostly the same entities). A guild already out stays as it is.
            if (!_root.Guilds.TryGetValue(guildId, out GuildState? lost))
            {
                SetGuild(GuildState.CreateUnavailable(guildId, _epoch));
            }
            else if (!lost.Unavailable)
            {
                SetGuild(GuildState.ShellFor(lost, _epoch));
            }
        }
        else if (_root.Guilds.TryGetValue(guildId, out _))
        {
            // Checked first: a delete of an unknown guild must not clone the root.
            WritableRoot().Guilds.Remove(guildId);
        }
    }

    private void ApplyUserUpdate(ReadOnlySpan<byte> data)
    {
        if (JsonValue.TryGetSnowflakeProperty(data, "id"u8, out ulong userId) && userId == _root.BotUserId)
        {
            WritableRoot().BotUserJson = data.ToArray();
        }
    }

    private static void AppendProperty(ArrayBufferWriter<byte> w, ref bool any, ReadOnlySpan<byte> name, ReadOnlySpan<byte> value)
    {
        if (any)
        {
            w.Byte((byte)',');
        }

        any = true;
        w.Property(name, value);
    }

    /// <summary>Keys of a guild object that are not guild properties: collections and per-connection fields.</summary>
    private static bool IsGuildCreateOnlyKey(ReadOnlySpan<byte> name) =>
        TryGetCollectionKind(name, out _)
        || name.SequenceEqual("joined_at"u8)
        || name.SequenceEqual("member_count"u8)
        || name.SequenceEqual("large"u8)
        || name.SequenceEqual("unavailable"u8)
        || name.SequenceEqual("guild_id"u8);

    /// <summary>Maps a GUILD_CREATE array name to its collection.</summary>
    internal static bool TryGetCollectionKind(ReadOnlySpan<byte> name, out CacheEntityKind kind)
    {
        kind = name switch
        {
            _ when name.SequenceEqual("channels"u8) => CacheEntityKind.Channels,
            _ when name.SequenceEqual("threads"u8) => CacheEntityKind.Threads,
            _ when name.SequenceEqual("members"u8) => CacheEntityKind.Members,
            _ when name.SequenceEqual("roles"u8) => CacheEntityKind.Roles,
            _ when name.SequenceEqual("emojis"u8) => CacheEntityKind.Emojis,
            _ when name.SequenceEqual("stickers"u8) => CacheEntityKind.Stickers,
            _ when name.SequenceEqual("presences"u8) => CacheEntityKind.Presences,
            _ when name.SequenceEqual("voice_states"u8) => CacheEntityKind.VoiceStates,
            _ when name.SequenceEqual("stage_instances"u8) => CacheEntityKind.StageInstances,
            _ when name.SequenceEqual("guild_scheduled_events"u8) => CacheEntityKind.ScheduledEvents,
            _ when name.SequenceEqual("soundboard_sounds"u8) => CacheEntityKind.SoundboardSounds,
            _ => (CacheEntityKind)(-1),
        };
        return kind >= 0;
    }
}
