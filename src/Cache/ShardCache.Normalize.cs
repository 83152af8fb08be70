using System.Buffers;
using GatewayProxy.Cache.Json;

namespace GatewayProxy.Cache;

/// <summary>Turning event objects into the entity blobs kept in the cache (shaped as GUILD_CREATE carries them).</summary>
public sealed partial class ShardCache
{
    private const int MaxCollectedNames = 96;

    /// <summary>Normalizes one element of a GUILD_CREATE (or list) array; false when it is not to be stored.</summary>
    private bool TryNormalize(CacheEntityKind kind, ReadOnlySpan<byte> obj, ulong botUserId, out ulong id, out Normalized entity)
    {
        var e = new JsonObjectEnumerator(obj);
        return TryNormalize(kind, ref e, botUserId, out id, out entity);
    }

    /// <summary>Normalizes the object <paramref name="e"/> walks (every property of it read once, to its end); false when it is not to be stored.</summary>
    private bool TryNormalize(CacheEntityKind kind, scoped ref JsonObjectEnumerator e, ulong botUserId, out ulong id, out Normalized entity)
    {
        switch (kind)
        {
            case CacheEntityKind.Members:
                return TryBuildMember(default, ref e, botUserId, out id, out entity);
            case CacheEntityKind.Presences:
                return TryBuildPresence(ref e, out id, out entity, out bool offline) && !offline;
            case CacheEntityKind.VoiceStates:
                return TryBuildVoiceState(ref e, out id, out entity, out bool inChannel, out _) && inChannel;
            case CacheEntityKind.Channels:
                entity = new Normalized(CopyWithout(ref e, "guild_id"u8, "id"u8, out id), false);
                return id != 0;
            case CacheEntityKind.Threads:
                return TryBuildThread(ref e, out id, out entity, out bool archived) && !archived;
            case CacheEntityKind.Roles:
                return TryBuildRole(ref e, out id, out entity);
            case CacheEntityKind.SoundboardSounds:
                return TryReadAsIs(ref e, "sound_id"u8, out id, out entity);
            default:
                return TryReadAsIs(ref e, "id"u8, out id, out entity);
        }
    }

    /// <summary>An entity kept exactly as sent: the object's own text, its id read on the way.</summary>
    private static bool TryReadAsIs(scoped ref JsonObjectEnumerator e, ReadOnlySpan<byte> idName, out ulong id, out Normalized entity)
    {
        id = 0;
        bool found = false;
        while (e.MoveNext())
        {
            if (!found && e.Name.SequenceEqual(idName))
            {
                // The first one, as a lookup would find.
                found = true;
                JsonValue.TryGetSnowflake(e.Value, out id);
            }
        }

        entity = new Normalized(e.Whole, false);
        return id != 0;
    }

    /// <summary>A presence as GUILD_CREATE carries it: <c>user</c> reduced to <c>{id}</c>, no <c>guild_id</c>.</summary>
    private bool TryBuildPresence(ReadOnlySpan<byte> obj, out ulong userId, out Normalized entity, out bool offline)
    {
        var e = new JsonObjectEnumerator(obj);
        return TryBuildPresence(ref e, out userId, out entity, out offline);
    }

    private bool TryBuildPresence(scoped ref JsonObjectEnumerator e, out ulong userId, out Normalized entity, out bool offline)
    {
        ArrayBufferWriter<byte> w = _scratch;
        w.ResetWrittenCount();
        w.Byte((byte)'{');
        bool any = false;
        userId = 0;
        offline = false;
        while (e.MoveNext())
        {
            if (e.Name.SequenceEqual("guild_id"u8))
            {
                continue;
            }

            if (any)
            {
                w.Byte((byte)',');
            }

            any = true;
            if (e.Name.SequenceEqual("user"u8))
            {
                JsonValue.TryGetSnowflakeProperty(e.Value, "id"u8, out userId);
                w.Raw("\"user\":{\"id\":"u8);
                w.QuotedSnowflake(userId);
                w.Byte((byte)'}');
                continue;
            }

            if (e.Name.SequenceEqual("status"u8))
            {
                offline = e.Value.SequenceEqual("\"offline\""u8) || e.Value.SequenceEqual("\"invisible\""u8);
            }

            w.Property(e.Name, e.Value);
        }

        w.Byte((byte)'}');
        entity = offline ? default : new Normalized(w.WrittenSpan, false);
        return userId != 0;
    }

    /// <summary>A voice state as GUILD_CREATE carries it (no <c>guild_id</c>, no <c>member</c>); the member comes out separately.</summary>
    private bool TryBuildVoiceState(ReadOnlySpan<byte> obj, out ulong userId, out Normalized entity, out bool inChannel, out ReadOnlySpan<byte> member)
    {
        var e = new JsonObjectEnumerator(obj);
        return TryBuildVoiceState(ref e, out userId, out entity, out inChannel, out member);
    }

    private bool TryBuildVoiceState(scoped ref JsonObjectEnumerator e, out ulong userId, out Normalized entity, out bool inChannel, out ReadOnlySpan<byte> member)
    {
        ArrayBufferWriter<byte> w = _scratch;
        w.ResetWrittenCount();
        w.Byte((byte)'{');
        bool any = false;
        userId = 0;
        inChannel = false;
        member = default;
        while (e.MoveNext())
        {
            if (e.Name.SequenceEqual("guild_id"u8))
            {
                continue;
            }

            if (e.Name.SequenceEqual("member"u8))
            {
                member = e.Value;
                continue;
            }

            if (e.Name.SequenceEqual("user_id"u8))
            {
                JsonValue.TryGetSnowflake(e.Value, out userId);
            }
            else if (e.Name.SequenceEqual("channel_id"u8))
            {
                inChannel = !JsonValue.IsNull(e.Value);
            }

            if (any)
            {
                w.Byte((byte)',');
            }

            any = true;
            w.Property(e.Name, e.Value);
        }

        w.Byte((byte)'}');
        entity = inChannel ? new Normalized(w.WrittenSpan, false) : default;
        return userId != 0;
    }

    /// <summary>A thread without the event-only <c>newly_created</c>; reports whether it is archived (then not kept).</summary>
    private bool TryBuildThread(ReadOnlySpan<byte> obj, out ulong id, out Normalized entity, out bool archived)
    {
        var e = new JsonObjectEnumerator(obj);
        return TryBuildThread(ref e, out id, out entity, out archived);
    }

    private bool TryBuildThread(scoped ref JsonObjectEnumerator e, out ulong id, out Normalized entity, out bool archived)
    {
        ArrayBufferWriter<byte> w = _scratch;
        w.ResetWrittenCount();
        w.Byte((byte)'{');
        bool any = false;
        bool metaSeen = false;
        id = 0;
        archived = false;
        while (e.MoveNext())
        {
            if (e.Name.SequenceEqual("newly_created"u8))
            {
                continue;
            }

            if (e.Name.SequenceEqual("id"u8))
            {
                JsonValue.TryGetSnowflake(e.Value, out id);
            }
            else if (!metaSeen && e.Name.SequenceEqual("thread_metadata"u8))
            {
                // The first one, as a lookup would find; a small nested object, read with the structural scanner.
                metaSeen = true;
                archived = JsonObjectEnumerator.TryGet(e.Value, "archived"u8, out ReadOnlySpan<byte> flag) && JsonValue.IsTrue(flag);
            }

            if (any)
            {
                w.Byte((byte)',');
            }

            any = true;
            w.Property(e.Name, e.Value);
        }

        w.Byte((byte)'}');
        entity = new Normalized(w.WrittenSpan, false);
        return id != 0;
    }

    /// <summary>A role with <c>colors</c> guaranteed (derived from <c>color</c> when missing: oceanic.js needs it).</summary>
    private bool TryBuildRole(ReadOnlySpan<byte> obj, out ulong id, out Normalized entity)
    {
        var e = new JsonObjectEnumerator(obj);
        return TryBuildRole(ref e, out id, out entity);
    }

    private bool TryBuildRole(scoped ref JsonObjectEnumerator e, out ulong id, out Normalized entity)
    {
        ArrayBufferWriter<byte> w = _scratch;
        w.ResetWrittenCount();
        w.Byte((byte)'{');
        bool any = false;
        bool hasColors = false;
        ReadOnlySpan<byte> color = "0"u8;
        id = 0;
        while (e.MoveNext())
        {
            if (e.Name.SequenceEqual("id"u8))
            {
                JsonValue.TryGetSnowflake(e.Value, out id);
            }
            else if (e.Name.SequenceEqual("colors"u8))
            {
                hasColors = true;
            }
            else if (e.Name.SequenceEqual("color"u8))
            {
                color = e.Value;
            }

            if (any)
            {
                w.Byte((byte)',');
            }

            any = true;
            w.Property(e.Name, e.Value);
        }

        if (!hasColors)
        {
            if (any)
            {
                w.Byte((byte)',');
            }

            w.Raw("\"colors\":{\"primary_color\":"u8);
            w.Raw(color);
            w.Raw(",\"secondary_color\":null,\"tertiary_color\":null}"u8);
        }

        w.Byte((byte)'}');
        entity = new Normalized(w.WrittenSpan, false);
        return id != 0;
    }

    /// <summary>Copies an object without the property <paramref name="drop"/>, reading the snowflake <paramref name="idName"/> on the way.</summary>
    private ReadOnlySpan<byte> CopyWithout(scoped ref JsonObjectEnumerator e, ReadOnlySpan<byte> drop, ReadOnlySpan<byte> idName, out ulong id)
    {
        ArrayBufferWriter<byte> w = _scratch;
        w.ResetWrittenCount();
        w.Byte((byte)'{');
        bool any = false;
        id = 0;
        while (e.MoveNext())
        {
            if (e.Name.SequenceEqual(drop))
            {
                continue;
            }

            if (e.Name.SequenceEqual(idName))
            {
                JsonValue.TryGetSnowflake(e.Value, out id);
            }

            if (any)
            {
                w.Byte((byte)',');
            }

            any = true;
            w.Property(e.Name, e.Value);
        }

        w.Byte((byte)'}');
        return w.WrittenSpan;
    }

    /// <summary>Records where each top-level name of <paramref name="obj"/> is; -1 when there are too many (callers then search).</summary>
    private static int CollectNames(ReadOnlySpan<byte> obj, Span<Range> names)
    {
        int count = 0;
        var e = new JsonObjectEnumerator(obj);
        while (e.MoveNext())
        {
            if (count == names.Length)
            {
                return -1;
            }

            names[count++] = new Range(e.NameStart, e.NameStart + e.Name.Length);
        }

        return count;
    }

    private static bool ContainsName(ReadOnlySpan<byte> obj, ReadOnlySpan<Range> names, int count, ReadOnlySpan<byte> name)
    {
        if (count < 0)
        {
            return JsonObjectEnumerator.TryGet(obj, name, out _);
        }

        for (int i = 0; i < count; i++)
        {
            if (obj[names[i]].SequenceEqual(name))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>An entity ready to store: its JSON (in the scratch buffer or the event data, valid until the next build) and flag.</summary>
    private readonly ref struct Normalized(ReadOnlySpan<byte> json, bool notable)
    {
        /// <summary>The entity as GUILD_CREATE carries it.</summary>
        public readonly ReadOnlySpan<byte> Json = json;

        /// <summary>Members only: has a role or a nick.</summary>
        public readonly bool Notable = notable;
    }
}
