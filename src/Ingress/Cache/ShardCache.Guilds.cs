using System.Buffers;
using GatewayProxy.Ingress.Cache.Json;

namespace GatewayProxy.Ingress.Cache;

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

    /// <summary>Builds the guild of a GUILD_CREATE (null: no id) without touching the cache, so it can run outside the lock.</summary>
    /// <remarks>
    /// Writer thread only. The epoch is read once: if a snapshot ends it meanwhile, the new guild merely counts as frozen
    /// and is copied on its first change, which is safe (no snapshot can hold an object that did not exist yet).
    /// </remarks>
    private GuildState? BuildGuild(ReadOnlySpan<byte> data)
    {
        long epoch = Volatile.Read(ref _epoch);
        GuildState? recycle = null;
        long recycleEpoch = -1;
        ulong guildId = 0;
        bool unavailable = false;
        byte[]? joinedAt = null;
        int memberCount = 0;
        bool memberCountSeen = false;
        EntityMap[] collections = GuildState.CreateEmptyCollections();
        ArrayBufferWriter<byte> props = _props;
        props.ResetWrittenCount();
        props.Byte((byte)'{');
        bool any = false;
        var e = new JsonObjectEnumerator(data);
        while (e.MoveNext())
        {
            ReadOnlySpan<byte> name = e.Name;
            if (TryGetCollectionKind(name, out CacheEntityKind kind))
            {
                if (_keeps[(int)kind] || (kind == CacheEntityKind.Members && _options.CurrentMember))
                {
                    // An empty array keeps the shared empty map: most guilds have several empty collections.
                    int count = JsonArrayEnumerator.Count(e.Value);
                    if (count > 0 && collections[(int)kind].Epoch != epoch)
                    {
                        collections[(int)kind] = new EntityMap(epoch, count);
                    }

                    if (count > 0)
                    {
                        LoadAll(kind, e.Value, _root.BotUserId, collections[(int)kind], recycle?.Get(kind), recycleEpoch);
                    }
                }

                continue;
            }

            if (name.SequenceEqual("id"u8) && JsonValue.TryGetSnowflake(e.Value, out ulong id)
                && _root.Guilds.TryGetValue(id, out GuildState? known) && known.Recycle is { } lost)
            {
                // Discord sends the id first; a guild back from an outage refills the buffers it had (see CreateLost).
                recycle = lost;
                recycleEpoch = known.RecycleEpoch;
            }

            if (name.SequenceEqual("joined_at"u8))
            {
                joinedAt = e.Value.ToArray();
                continue;
            }

            if (name.SequenceEqual("member_count"u8))
            {
                memberCountSeen = JsonValue.TryGetInt32(e.Value, out memberCount);
                continue;
            }

            if (name.SequenceEqual("unavailable"u8))
            {
                unavailable = JsonValue.IsTrue(e.Value);
                continue;
            }

            if (name.SequenceEqual("large"u8))
            {
                continue;
            }

            if (name.SequenceEqual("id"u8))
            {
                JsonValue.TryGetSnowflake(e.Value, out guildId);
            }

            if (any)
            {
                props.Byte((byte)',');
            }

            any = true;
            props.Property(name, e.Value);
        }

        props.Byte((byte)'}');
        if (guildId == 0)
        {
            return null;
        }

        if (unavailable)
        {
            return GuildState.CreateUnavailable(guildId, epoch);
        }

        for (int i = 0; i < collections.Length; i++)
        {
            if (collections[i].Epoch == epoch)
            {
                // Chunks grow by doubling: give back the slack of the bulk load (guild memory, not a hot path).
                collections[i].TrimExcess();
            }
        }

        if (!memberCountSeen)
        {
            memberCount = collections[(int)CacheEntityKind.Members].Count;
        }

        return GuildState.Create(guildId, props.WrittenSpan.ToArray(), joinedAt, memberCount, collections, epoch);
    }

    /// <summary>Stores every element of a JSON array that normalizes, in a map being built.</summary>
    /// <remarks>Entities found in <paramref name="recycle"/> with a buffer of <paramref name="recycleEpoch"/> are written into it.</remarks>
    private void LoadAll(CacheEntityKind kind, ReadOnlySpan<byte> array, ulong botUserId, EntityMap map, EntityMap? recycle = null, long recycleEpoch = -1)
    {
        var list = new JsonArrayEnumerator(array);
        while (list.MoveNext())
        {
            if (TryNormalize(kind, list.Current, botUserId, out ulong id, out Normalized entity))
            {
                map.Load(id, entity.Json, entity.Notable, recycle, recycleEpoch);
            }
        }
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
        Writable(guild).SetProperties(props.WrittenSpan.ToArray());
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
            // reuses its buffers (the guild comes back with mostly the same entities).
            SetGuild(_root.Guilds.TryGetValue(guildId, out GuildState? lost) ? GuildState.CreateLost(lost, _epoch) : GuildState.CreateUnavailable(guildId, _epoch));
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
