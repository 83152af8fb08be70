using System.Buffers;
using System.Text.Json;
using GatewayProxy.Cache.Json;

namespace GatewayProxy.Cache;

/// <summary>GUILD_CREATE: building a guild, or refilling in place the one lost in an outage (no allocation when it comes back unchanged).</summary>
public sealed partial class ShardCache
{
    /// <summary>Builds the guild of a GUILD_CREATE (null: no id) without touching the visible cache, so it can run outside the lock.</summary>
    /// <remarks>
    /// Writer thread only. One reader pass over the whole object: each entity is normalized as the reader reaches it, so
    /// every byte is tokenized once (a nested user or thread_metadata object is also searched by the structural scanner
    /// for its id or flag). The epoch is read once: if a snapshot ends it meanwhile, the new guild merely counts as
    /// frozen and is copied on its first change, which is safe (no snapshot can hold an object that did not exist yet).
    /// A guild back from an outage whose lost object no snapshot ever saw (see <see cref="GuildState.Recycle"/>) is
    /// refilled in place: its maps and chunks of that epoch take the new content; anything older is rebuilt.
    /// </remarks>
    private GuildState? BuildGuild(ReadOnlySpan<byte> data)
    {
        long epoch = Volatile.Read(ref _epoch);
        var b = new GuildBuild(epoch);
        ulong guildId = 0;
        bool unavailable = false;
        byte[]? joinedAt = null;
        Range? joinedAtRange = null;
        int memberCount = 0;
        bool memberCountSeen = false;
        ArrayBufferWriter<byte> props = _props;
        props.ResetWrittenCount();
        props.Byte((byte)'{');
        bool any = false;
        var reader = new Utf8JsonReader(data, isFinalBlock: true, state: default);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            throw new JsonException("Expected a JSON object.");
        }

        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            ReadOnlySpan<byte> name = reader.ValueSpan;
            reader.Read();
            if (TryGetCollectionKind(name, out CacheEntityKind kind))
            {
                if (!(_keeps[(int)kind] || (kind == CacheEntityKind.Members && _options.CurrentMember)))
                {
                    reader.Skip();
                    continue;
                }

                if (reader.TokenType == JsonTokenType.Null)
                {
                    continue;
                }

                if (reader.TokenType != JsonTokenType.StartArray)
                {
                    throw new JsonException("Expected a JSON array.");
                }

                if (!b.Resolved)
                {
                    // The id usually comes first; when it does not, one structural scan finds it (the recycle lookup needs it now).
                    ulong knownId = guildId;
                    if (knownId != 0 || JsonValue.TryGetSnowflakeProperty(data, "id"u8, out knownId))
                    {
                        Resolve(ref b, knownId);
                    }

                    b.Resolved = true;
                }

                LoadArray(kind, ref reader, data, ref b);
                continue;
            }

            int valueStart = (int)reader.TokenStartIndex;
            if (reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray)
            {
                reader.Skip();
            }

            ReadOnlySpan<byte> value = data[valueStart..(int)reader.BytesConsumed];
            if (name.SequenceEqual("joined_at"u8))
            {
                // Kept as a range until the recycle lookup is made (the value may come before the id).
                joinedAtRange = new Range(valueStart, (int)reader.BytesConsumed);
                continue;
            }

            if (name.SequenceEqual("member_count"u8))
            {
                memberCountSeen = JsonValue.TryGetInt32(value, out memberCount);
                continue;
            }

            if (name.SequenceEqual("unavailable"u8))
            {
                unavailable = JsonValue.IsTrue(value);
                continue;
            }

            if (name.SequenceEqual("large"u8))
            {
                continue;
            }

            if (name.SequenceEqual("id"u8) && guildId == 0)
            {
                // The first valid id, as the recycle lookup finds it: a refilled guild is always the one named.
                JsonValue.TryGetSnowflake(value, out guildId);
                if (guildId != 0 && !b.Resolved)
                {
                    Resolve(ref b, guildId);
                    b.Resolved = true;
                }
            }

            if (any)
            {
                props.Byte((byte)',');
            }

            any = true;
            props.Property(name, value);
        }

        if (reader.TokenType != JsonTokenType.EndObject)
        {
            throw new JsonException("Expected the end of the JSON object.");
        }

        props.Byte((byte)'}');
        if (!b.Resolved && guildId != 0)
        {
            Resolve(ref b, guildId);
        }

        if (guildId == 0)
        {
            return null;
        }

        if (joinedAtRange is { } range)
        {
            // Never written in place, so the old array is shared whenever the value is the same.
            ReadOnlySpan<byte> value = data[range];
            joinedAt = b.Recycle?.JoinedAt is { } old && old.AsSpan().SequenceEqual(value) ? old : value.ToArray();
        }

        if (unavailable)
        {
            return GuildState.CreateUnavailable(guildId, epoch);
        }

        EntityMap[] collections = b.Collections ?? GuildState.CreateEmptyCollections();
        for (int i = 0; i < collections.Length; i++)
        {
            int bit = 1 << i;
            if ((b.Refilled & bit) != 0)
            {
                collections[i].EndRefill();
            }
            else if ((b.Loaded & bit) == 0)
            {
                // Not in this GUILD_CREATE (or not kept): what the lost guild had there is gone.
                collections[i] = EntityMap.Empty;
                continue;
            }

            if (_compressCold)
            {
                // A guild is cold until an event changes it: stored compressed from its GUILD_CREATE on.
                collections[i].Freeze();
            }
        }

        if (!memberCountSeen)
        {
            memberCount = collections[(int)CacheEntityKind.Members].Count;
        }

        if (b.Target is { } target)
        {
            target.Refill(props.WrittenSpan, joinedAt, memberCount);
            return target;
        }

        GuildState guild = GuildState.Create(guildId, props.WrittenSpan.ToArray(), joinedAt, memberCount, collections, epoch);

        // The stand-in READY (or the last outage) showed for this guild serves its next outage.
        guild.Shell = b.Known is { Unavailable: true } known && known.Id == guildId ? known : null;
        return guild;
    }

    /// <summary>Finds what the cache knows of guild <paramref name="guildId"/>: its stand-in, and the lost guild to refill.</summary>
    private void Resolve(ref GuildBuild b, ulong guildId)
    {
        if (_root.Guilds.TryGetValue(guildId, out GuildState? known))
        {
            b.Known = known;
            if (known.Recycle is { } lost && lost.Epoch == known.RecycleEpoch)
            {
                // Refilled whole only when no snapshot ever saw the guild object (then its collections array is its own too).
                b.Target = lost;
                b.Recycle = lost;
                b.Collections = lost.CollectionsForRefill;
            }
            else
            {
                b.Recycle = known.Recycle;
            }
        }
    }

    /// <summary>Reads one kept collection's array (the reader on its start), into the map being refilled or a new one sized exactly.</summary>
    private void LoadArray(CacheEntityKind kind, ref Utf8JsonReader reader, ReadOnlySpan<byte> data, ref GuildBuild b)
    {
        b.Collections ??= GuildState.CreateEmptyCollections();
        int bit = 1 << (int)kind;
        EntityMap map = b.Collections[(int)kind];
        EntityMap? direct = null;
        if ((b.Loaded & bit) != 0)
        {
            // The same array twice: the second adds to the first.
            direct = map;
        }
        else if (b.Target is not null && map.Epoch == b.Target.Epoch)
        {
            map.BeginRefill();
            b.Refilled |= bit;
            direct = map;
        }

        EntityBatch batch = _batch;
        batch.Clear();
        ReadArray(kind, ref reader, data, direct, (b.Refilled & bit) != 0, batch);
        if (direct is null)
        {
            if (batch.Count == 0)
            {
                // Nothing kept: the shared empty map (most guilds have several empty collections).
                return;
            }

            b.Collections[(int)kind] = EntityMap.FromBatch(b.Target?.Epoch ?? b.Epoch, batch, compress: false);
        }

        b.Loaded |= bit;
    }

    /// <summary>Normalizes each element of the array the reader is on (to its end): into <paramref name="direct"/> (refilled or added to) or <paramref name="batch"/>.</summary>
    private void ReadArray(CacheEntityKind kind, ref Utf8JsonReader reader, ReadOnlySpan<byte> data, EntityMap? direct, bool refill, EntityBatch batch)
    {
        ulong botUserId = _root.BotUserId;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (reader.TokenType != JsonTokenType.StartObject)
            {
                if (!IsKeptAsIs(kind))
                {
                    throw new JsonException("Expected a JSON object.");
                }

                // Kinds kept as sent skip what is not an object, as a lookup of its id would.
                reader.Skip();
                continue;
            }

            var e = new JsonObjectEnumerator(ref reader, data);
            bool keep = TryNormalize(kind, ref e, botUserId, out ulong id, out Normalized entity);
            reader = e.Reader;
            if (!keep)
            {
                continue;
            }

            if (direct is null)
            {
                batch.Add(id, entity.Json, entity.Notable);
            }
            else if (refill)
            {
                direct.Refill(id, entity.Json, entity.Notable);
            }
            else
            {
                direct.Load(id, entity.Json, entity.Notable);
            }
        }
    }

    /// <summary>Kinds stored exactly as sent (no normalizer builds them).</summary>
    private static bool IsKeptAsIs(CacheEntityKind kind) =>
        kind is CacheEntityKind.Emojis or CacheEntityKind.Stickers or CacheEntityKind.StageInstances or CacheEntityKind.ScheduledEvents or CacheEntityKind.SoundboardSounds;

    /// <summary>A list array outside GUILD_CREATE (list replacements, thread syncs): its kept entities, gathered in the batch.</summary>
    private EntityBatch ReadList(CacheEntityKind kind, ReadOnlySpan<byte> array)
    {
        EntityBatch batch = _batch;
        batch.Clear();
        var reader = new Utf8JsonReader(array, isFinalBlock: true, state: default);
        if (!reader.Read() || reader.TokenType is not (JsonTokenType.StartArray or JsonTokenType.Null))
        {
            throw new JsonException("Expected a JSON array.");
        }

        if (reader.TokenType == JsonTokenType.StartArray)
        {
            ReadArray(kind, ref reader, array, null, false, batch);
        }

        return batch;
    }

    /// <summary>What one GUILD_CREATE's build has found so far.</summary>
    private struct GuildBuild(long epoch)
    {
        /// <summary>The epoch the new guild is built in.</summary>
        public readonly long Epoch = epoch;

        /// <summary>The recycle lookup has been made (it needs the guild id).</summary>
        public bool Resolved;

        /// <summary>The guild the cache has under this id (a stand-in when unavailable).</summary>
        public GuildState? Known;

        /// <summary>The lost guild refilled in place, when no snapshot ever saw it.</summary>
        public GuildState? Target;

        /// <summary>The lost guild's content (for sharing an unchanged joined_at).</summary>
        public GuildState? Recycle;

        /// <summary>The collections being built or refilled.</summary>
        public EntityMap[]? Collections;

        /// <summary>Kinds whose array was read (bit per <see cref="CacheEntityKind"/>).</summary>
        public int Loaded;

        /// <summary>Kinds refilled in place.</summary>
        public int Refilled;
    }
}
