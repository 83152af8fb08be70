using System.Buffers;
using GatewayProxy.Cache.Json;

namespace GatewayProxy.Cache;

/// <summary>Turning member objects into the member blobs kept in the cache (merged over the cached member on updates).</summary>
public sealed partial class ShardCache
{
    /// <summary>Whether a member of <paramref name="userId"/> is kept: all with Members, else only the bot's own.</summary>
    private bool KeepsMember(ulong userId, ulong botUserId) =>
        _options.Members || (_options.CurrentMember && userId != 0 && userId == botUserId);

    /// <summary>Builds a member blob: <paramref name="existing"/> (may be empty) with <paramref name="update"/>'s fields merged over it.</summary>
    private bool TryBuildMember(ReadOnlySpan<byte> existing, ReadOnlySpan<byte> update, ulong botUserId, out ulong userId, out Normalized entity)
    {
        if (!_options.Members)
        {
            // Only the bot's own member may be kept: check before building anything.
            if (!JsonObjectEnumerator.TryGet(update, "user"u8, out ReadOnlySpan<byte> user)
                || !JsonValue.TryGetSnowflakeProperty(user, "id"u8, out userId)
                || !KeepsMember(userId, botUserId))
            {
                userId = 0;
                entity = default;
                return false;
            }
        }

        var e = new JsonObjectEnumerator(update);
        return TryBuildMember(existing, ref e, botUserId, out userId, out entity);
    }

    /// <summary>Builds a member blob from the object <paramref name="e"/> walks (to its end), merged over <paramref name="existing"/>.</summary>
    private bool TryBuildMember(ReadOnlySpan<byte> existing, scoped ref JsonObjectEnumerator e, ulong botUserId, out ulong userId, out Normalized entity)
    {
        entity = default;
        ArrayBufferWriter<byte> w = _scratch;
        w.ResetWrittenCount();
        w.Byte((byte)'{');
        var state = new MemberFlags();
        // One pass over the update (written first, names remembered), one over the old member for what it lacks.
        Span<Range> names = stackalloc Range[MaxCollectedNames];
        int count = 0;
        while (e.MoveNext())
        {
            if (count >= 0)
            {
                count = count < names.Length ? count + 1 : -1;
                if (count > 0)
                {
                    names[count - 1] = new Range(e.NameStart, e.NameStart + e.Name.Length);
                }
            }

            if (!e.Name.SequenceEqual("guild_id"u8))
            {
                EmitMemberProperty(w, e.Name, e.Value, ref state);
            }
        }

        if (!existing.IsEmpty)
        {
            // The names' ranges are in the walked buffer; a lookup (too many names) searches the object itself.
            ReadOnlySpan<byte> buffer = e.Buffer;
            ReadOnlySpan<byte> update = e.Whole;
            var old = new JsonObjectEnumerator(existing);
            while (old.MoveNext())
            {
                if (!(count < 0 ? JsonObjectEnumerator.TryGet(update, old.Name, out _) : ContainsName(buffer, names, count, old.Name)))
                {
                    EmitMemberProperty(w, old.Name, old.Value, ref state);
                }
            }
        }

        w.Byte((byte)'}');
        userId = state.UserId;
        if (userId == 0 || !KeepsMember(userId, botUserId))
        {
            userId = 0;
            return false;
        }

        entity = new Normalized(w.WrittenSpan, state.HasRoles || state.HasNick);
        return true;
    }

    private void EmitMemberProperty(ArrayBufferWriter<byte> w, ReadOnlySpan<byte> name, ReadOnlySpan<byte> value, ref MemberFlags state)
    {
        if (state.Any)
        {
            w.Byte((byte)',');
        }

        state.Any = true;
        w.Key(name);
        if (name.SequenceEqual("user"u8))
        {
            JsonValue.TryGetSnowflakeProperty(value, "id"u8, out state.UserId);
            if (_options.Users)
            {
                w.Raw(value);
            }
            else
            {
                WriteStubUser(w, value);
            }

            return;
        }

        if (name.SequenceEqual("roles"u8))
        {
            state.HasRoles = JsonArrayEnumerator.IsNonEmptyArray(value);
        }
        else if (name.SequenceEqual("nick"u8))
        {
            state.HasNick = !JsonValue.IsNull(value);
        }

        w.Raw(value);
    }

    /// <summary>The user fields client libraries require to build a user; see <see cref="CacheOptions.Users"/>.</summary>
    private static void WriteStubUser(ArrayBufferWriter<byte> w, ReadOnlySpan<byte> user)
    {
        w.Byte((byte)'{');
        bool any = false;
        var e = new JsonObjectEnumerator(user);
        while (e.MoveNext())
        {
            ReadOnlySpan<byte> n = e.Name;
            if (n.SequenceEqual("id"u8) || n.SequenceEqual("username"u8) || n.SequenceEqual("discriminator"u8)
                || n.SequenceEqual("global_name"u8) || n.SequenceEqual("avatar"u8) || n.SequenceEqual("bot"u8) || n.SequenceEqual("system"u8))
            {
                if (any)
                {
                    w.Byte((byte)',');
                }

                any = true;
                w.Property(n, e.Value);
            }
        }

        w.Byte((byte)'}');
    }

    /// <summary>What writing a member found out about it.</summary>
    private struct MemberFlags
    {
        public bool Any;
        public bool HasRoles;
        public bool HasNick;
        public ulong UserId;
    }
}
