using System.Buffers;
using GatewayProxy.Cache.Json;

namespace GatewayProxy.Cache;

/// <summary>GUILD_CREATE: building a guild, or refilling in place the one lost in an outage (no allocation when it comes back unchanged).</summary>
public sealed partial class ShardCache
{
    /// <summary>Builds the guild of a GUILD_CREATE (null: no id) without touching the visible cache, so it can run outside the lock.</summary>
    /// <remarks>
    /// Writer thread only. The epoch is read once: if a snapshot ends it meanwhile, the new guild merely counts as frozen
    /// and is copied on its first change, which is safe (no snapshot can hold an object that did not exist yet). A guild
    /// back from an outage whose lost object no snapshot ever saw (see <see cref="GuildState.Recycle"/>) is refilled in
    /// place: its maps, chunks and entity buffers of that epoch take the new content; anything older is rebuilt.
    /// </remarks>
    private GuildState? BuildGuild(ReadOnlySpan<byte> data)
    {
        long epoch = Volatile.Read(ref _epoch);
        GuildState? known = null;
        GuildState? recycle = null;
        long recycleEpoch = -1;
        if (JsonValue.TryGetSnowflakeProperty(data, "id"u8, out ulong knownId) && _root.Guilds.TryGetValue(knownId, out known) && known.Recycle is { } lost)
        {
            recycle = lost;
            recycleEpoch = known.RecycleEpoch;
        }

        // Refilled whole only when no snapshot ever saw the guild object (then its collections array is its own too).
        GuildState? target = recycle is not null && recycle.Epoch == recycleEpoch ? recycle : null;
        long mapEpoch = target?.Epoch ?? epoch;
        EntityMap[] collections = target?.CollectionsForRefill ?? GuildState.CreateEmptyCollections();
        int loaded = 0;
        int refilled = 0;
        ulong guildId = 0;
        bool unavailable = false;
        byte[]? joinedAt = null;
        int memberCount = 0;
        bool memberCountSeen = false;
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
                int bit = 1 << (int)kind;

                // An empty array keeps the shared empty map: most guilds have several empty collections.
                if ((_keeps[(int)kind] || (kind == CacheEntityKind.Members && _options.CurrentMember)) && JsonArrayEnumerator.Count(e.Value) is int count and > 0)
                {
                    EntityMap map = collections[(int)kind];
                    if ((loaded & bit) == 0)
                    {
                        if (target is not null && map.Epoch == mapEpoch)
                        {
                            map.BeginRefill();
                            refilled |= bit;
                        }
                        else
                        {
                            map = new EntityMap(mapEpoch, count);
                            collections[(int)kind] = map;
                        }

                        loaded |= bit;
                    }

                    // A refilled guild's maps of older epochs hold no buffer of the recycle epoch: nothing to take from them.
                    LoadAll(kind, e.Value, _root.BotUserId, map, (refilled & bit) != 0, target is null ? recycle?.Get(kind) : null, recycleEpoch);
                }

                continue;
            }

            if (name.SequenceEqual("joined_at"u8))
            {
                // Never written in place, so the old array is shared whenever the value is the same.
                joinedAt = recycle?.JoinedAt is { } old && old.AsSpan().SequenceEqual(e.Value) ? old : e.Value.ToArray();
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

            if (name.SequenceEqual("id"u8) && guildId == 0)
            {
                // The first valid id, as the recycle lookup above found it: a refilled guild is always the one named.
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
            int bit = 1 << i;
            if ((refilled & bit) != 0)
            {
                collections[i].EndRefill();
            }
            else if ((loaded & bit) != 0)
            {
                // Chunks grow by doubling: give back the slack of the bulk load (guild memory, not a hot path).
                collections[i].TrimExcess();
            }
            else
            {
                // Not in this GUILD_CREATE (or not kept): what the lost guild had there is gone.
                collections[i] = EntityMap.Empty;
            }
        }

        if (!memberCountSeen)
        {
            memberCount = collections[(int)CacheEntityKind.Members].Count;
        }

        if (target is not null)
        {
            target.Refill(props.WrittenSpan, joinedAt, memberCount);
            return target;
        }

        GuildState guild = GuildState.Create(guildId, props.WrittenSpan.ToArray(), joinedAt, memberCount, collections, epoch);

        // The stand-in READY (or the last outage) showed for this guild serves its next outage.
        guild.Shell = known is { Unavailable: true } && known.Id == guildId ? known : null;
        return guild;
    }

    /// <summary>Stores every element of a JSON array that normalizes, in a map being built or refilled.</summary>
    /// <remarks>A map being built takes the buffers of entities found in <paramref name="recycle"/> with a buffer of <paramref name="recycleEpoch"/>.</remarks>
    private void LoadAll(CacheEntityKind kind, ReadOnlySpan<byte> array, ulong botUserId, EntityMap map, bool refill = false, EntityMap? recycle = null, long recycleEpoch = -1)
    {
        var list = new JsonArrayEnumerator(array);
        while (list.MoveNext())
        {
            if (!TryNormalize(kind, list.Current, botUserId, out ulong id, out Normalized entity))
            {
                continue;
            }

            if (refill)
            {
                map.Refill(id, entity.Json, entity.Notable);
            }
            else
            {
                map.Load(id, entity.Json, entity.Notable, recycle, recycleEpoch);
            }
        }
    }
}
