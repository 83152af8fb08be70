using System.Buffers;
using System.Collections.Immutable;
using System.Text.Json;
using GatewayProxy.Protocol.Gateway;

namespace GatewayProxy.Ingress.Cache;

/// <summary>
/// One shard's guild cache: written by a single thread (the shard's cache updater, a gating ring consumer), read by any
/// number of client sessions through <see cref="Snapshot"/>, an O(1) immutable view as of the last applied ring position.
/// </summary>
/// <remarks>
/// Every update builds new immutable objects (sharing what did not change) and publishes them with one reference swap.
/// Events the cache ignores only move <see cref="Position"/>: no allocation, no swap. <see cref="Snapshot"/> pairs the
/// root with the position optimistically (root, position, root again), so a snapshot is exactly "all events up to p".
/// </remarks>
public sealed partial class ShardCache
{
    private readonly CacheOptions _options;
    private readonly bool[] _keeps;
    private readonly ArrayBufferWriter<byte> _scratch = new(4096);
    private readonly ArrayBufferWriter<byte> _props = new(4096);
    private CacheRoot _root = CacheRoot.Empty;
    private long _position = -1;
    private long _malformed;

    /// <summary>Creates an empty cache for one shard.</summary>
    public ShardCache(int shardId, CacheOptions options)
    {
        ShardId = shardId;
        // Copied: the flags decide what every stored guild looks like, so they cannot change under the cache.
        _options = options.Clone();
        _keeps = new bool[GuildState.KindCount];
        for (int i = 0; i < _keeps.Length; i++)
        {
            _keeps[i] = options.Keeps((CacheEntityKind)i);
        }
    }

    /// <summary>The shard this cache belongs to.</summary>
    public int ShardId { get; }

    /// <summary>What this cache keeps (a copy of the options it was created with).</summary>
    public CacheOptions Options => _options.Clone();

    /// <summary>The bot's user id: learned from upstream READY; settable (from the updater thread only) for a cache restored without one.</summary>
    public ulong BotUserId
    {
        get => Volatile.Read(ref _root).BotUserId;
        set
        {
            CacheRoot root = _root;
            Volatile.Write(ref _root, new CacheRoot(root.Guilds, root.BotUserJson, root.ApplicationJson, value, root.Position));
        }
    }

    /// <summary>The ring position of the last applied event (-1 before any).</summary>
    public long Position => Volatile.Read(ref _position);

    /// <summary>Events whose data could not be applied because it was malformed.</summary>
    public long MalformedEvents => Volatile.Read(ref _malformed);

    /// <summary>Applies one upstream payload at ring <paramref name="position"/>: <paramref name="env"/> is its envelope scan.</summary>
    /// <remarks>Single writer only. Non-dispatches and events the cache ignores only move the position (no allocation).</remarks>
    public CacheApplyResult Apply(ReadOnlySpan<byte> payload, in Envelope env, long position)
    {
        CacheEvent ev = env.Op == (int)GatewayOpcode.Dispatch ? CacheEvents.FromKind(env.Kind) : CacheEvent.None;
        if (ev == CacheEvent.None || !env.HasData)
        {
            Volatile.Write(ref _position, position);
            return CacheApplyResult.Ignored;
        }

        return ApplyEvent(ev, env.Data(payload), position);
    }

    /// <summary>Applies one upstream dispatch given its name (<c>t</c>) and data (<c>d</c>), at ring <paramref name="position"/>.</summary>
    /// <remarks>Single writer only. Never throws for bad input: malformed data is counted and skipped.</remarks>
    public CacheApplyResult ApplyDispatch(ReadOnlySpan<byte> eventName, ReadOnlySpan<byte> data, long position)
    {
        CacheEvent ev = CacheEvents.FromName(eventName);
        if (ev == CacheEvent.None)
        {
            Volatile.Write(ref _position, position);
            return CacheApplyResult.Ignored;
        }

        return ApplyEvent(ev, data, position);
    }

    /// <summary>Applies upstream READY's <c>d</c>: the bot user, the application, and every guild as unavailable until its GUILD_CREATE.</summary>
    public CacheApplyResult ApplyReady(ReadOnlySpan<byte> readyData, long position) => ApplyEvent(CacheEvent.Ready, readyData, position);

    /// <summary>An immutable view as of the last applied position; O(1).</summary>
    public CacheSnapshot Snapshot()
    {
        var spin = default(SpinWait);
        while (true)
        {
            CacheRoot root = Volatile.Read(ref _root);
            long position = Volatile.Read(ref _position);
            // The updater publishes a root before its position: if the root is still the same after reading the
            // position, every change up to that position is in it (later positions were events the cache ignored).
            if (ReferenceEquals(root, Volatile.Read(ref _root)))
            {
                return new CacheSnapshot(root, Math.Max(position, root.Position));
            }

            spin.SpinOnce();
        }
    }

    /// <summary>Forgets everything (a new upstream session will send READY and every guild again); the position stays.</summary>
    public void Clear()
    {
        CacheRoot root = _root;
        Volatile.Write(ref _root, new CacheRoot(ImmutableSortedDictionary<ulong, GuildState>.Empty, [], [], root.BotUserId, Volatile.Read(ref _position)));
    }

    /// <summary>Counts per kind and approximate bytes, for the <c>gateway_cache_*</c> metrics; O(guilds).</summary>
    public CacheStats GetStats() => Snapshot().GetStats(Volatile.Read(ref _malformed), _options.Users);

    private CacheApplyResult ApplyEvent(CacheEvent ev, ReadOnlySpan<byte> data, long position)
    {
        CacheRoot root = _root;
        CacheRoot next;
        CacheApplyResult result;
        ReadOnlySpan<byte> trimmed = data.TrimStart(" \t\r\n"u8);
        if (trimmed.IsEmpty || trimmed[0] != (byte)'{')
        {
            // Every event the cache applies carries an object; the lookups below would just find nothing.
            _malformed++;
            Volatile.Write(ref _position, position);
            return CacheApplyResult.Malformed;
        }

        try
        {
            next = ApplyCore(ev, data, root, position);
            result = CacheApplyResult.Applied;
        }
        catch (JsonException)
        {
            next = root;
            result = CacheApplyResult.Malformed;
            _malformed++;
        }
        catch (InvalidOperationException)
        {
            // Utf8JsonReader throws this when a value has an unexpected token type.
            next = root;
            result = CacheApplyResult.Malformed;
            _malformed++;
        }

        if (!ReferenceEquals(next, root))
        {
            Volatile.Write(ref _root, next);
        }

        Volatile.Write(ref _position, position);
        return result;
    }

    private CacheRoot ApplyCore(CacheEvent ev, ReadOnlySpan<byte> data, CacheRoot root, long position) => ev switch
    {
        CacheEvent.Ready => ApplyReadyCore(data, root, position),
        CacheEvent.GuildCreate => ApplyGuildCreate(data, root, position),
        CacheEvent.GuildUpdate => ApplyGuildUpdate(data, root, position),
        CacheEvent.GuildDelete => ApplyGuildDelete(data, root, position),
        CacheEvent.UserUpdate => ApplyUserUpdate(data, root, position),
        CacheEvent.ChannelUpsert => ApplyChannelUpsert(data, root, position),
        CacheEvent.ChannelDelete => ApplyEntityDelete(CacheEntityKind.Channels, "id"u8, data, root, position),
        CacheEvent.ThreadUpsert => ApplyThreadUpsert(data, root, position),
        CacheEvent.ThreadDelete => ApplyEntityDelete(CacheEntityKind.Threads, "id"u8, data, root, position),
        CacheEvent.ThreadListSync => ApplyThreadListSync(data, root, position),
        CacheEvent.RoleUpsert => ApplyRoleUpsert(data, root, position),
        CacheEvent.RoleDelete => ApplyEntityDelete(CacheEntityKind.Roles, "role_id"u8, data, root, position),
        CacheEvent.EmojisUpdate => ApplyListReplace(CacheEntityKind.Emojis, "emojis"u8, data, root, position),
        CacheEvent.StickersUpdate => ApplyListReplace(CacheEntityKind.Stickers, "stickers"u8, data, root, position),
        CacheEvent.MemberAdd => ApplyMemberAdd(data, root, position),
        CacheEvent.MemberUpdate => ApplyMemberUpdate(data, root, position),
        CacheEvent.MemberRemove => ApplyMemberRemove(data, root, position),
        CacheEvent.MembersChunk => ApplyMembersChunk(data, root, position),
        CacheEvent.PresenceUpdate => ApplyPresenceUpdate(data, root, position),
        CacheEvent.VoiceStateUpdate => ApplyVoiceStateUpdate(data, root, position),
        CacheEvent.StageInstanceUpsert => ApplyEntityUpsert(CacheEntityKind.StageInstances, data, root, position),
        CacheEvent.StageInstanceDelete => ApplyEntityDelete(CacheEntityKind.StageInstances, "id"u8, data, root, position),
        CacheEvent.ScheduledEventUpsert => ApplyEntityUpsert(CacheEntityKind.ScheduledEvents, data, root, position),
        CacheEvent.ScheduledEventDelete => ApplyEntityDelete(CacheEntityKind.ScheduledEvents, "id"u8, data, root, position),
        CacheEvent.SoundboardSoundUpsert => ApplyEntityUpsert(CacheEntityKind.SoundboardSounds, data, root, position),
        CacheEvent.SoundboardSoundDelete => ApplyEntityDelete(CacheEntityKind.SoundboardSounds, "sound_id"u8, data, root, position),
        CacheEvent.SoundboardSoundsUpdate => ApplyListUpsert(CacheEntityKind.SoundboardSounds, "soundboard_sounds"u8, data, root, position),
        CacheEvent.SoundboardSounds => ApplyListReplace(CacheEntityKind.SoundboardSounds, "soundboard_sounds"u8, data, root, position),
        _ => root,
    };

    /// <summary>The available guild <paramref name="guildId"/>, or false when unknown or unavailable.</summary>
    private static bool TryGetGuild(CacheRoot root, ulong guildId, out GuildState guild)
    {
        if (root.Guilds.TryGetValue(guildId, out GuildState? found) && !found.Unavailable)
        {
            guild = found;
            return true;
        }

        guild = null!;
        return false;
    }

    /// <summary>A root with <paramref name="updated"/> in place of its guild; the same root when nothing changed.</summary>
    private static CacheRoot Replace(CacheRoot root, GuildState original, GuildState updated, long position) =>
        ReferenceEquals(original, updated) ? root : root.WithGuilds(root.Guilds.SetItem(updated.Id, updated), position);
}
