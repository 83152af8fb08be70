using System.Buffers;
using System.Text.Json;
using GatewayProxy.Cache.Json;
using GatewayProxy.Protocol.Gateway;

namespace GatewayProxy.Cache;

/// <summary>
/// One shard's guild cache: written by a single thread (the shard's cache updater, a gating ring consumer), read by any
/// number of client sessions through <see cref="Snapshot"/>, an O(1) immutable view as of the last applied ring position.
/// </summary>
/// <remarks>
/// Copy-on-write by snapshot epoch: the root, each guild and each collection carry the epoch they were created in, and
/// the writer changes an object in place only in its own epoch, cloning it (and the path above it) otherwise.
/// <see cref="Snapshot"/> ends the epoch, so what it returns is never written again; snapshots are rare (one per
/// identifying client), so in steady state updates happen in place and allocate nothing. One uncontended lock, held by
/// the writer while it applies an event and by <see cref="Snapshot"/>, makes a snapshot exactly "all events up to p".
/// Events the cache ignores only move <see cref="Position"/>, without the lock: they change nothing a snapshot sees.
/// </remarks>
public sealed partial class ShardCache
{
    private readonly CacheOptions _options;
    private readonly bool[] _keeps;
    private readonly ArrayBufferWriter<byte> _scratch = new(4096);
    private readonly ArrayBufferWriter<byte> _props = new(4096);
    private readonly EntityBatch _batch = new();
    private readonly bool _compressCold;
    private readonly long _coldMilliseconds;
    private long _nextColdSweep;
    private readonly Lock _gate = new();
    private CacheRoot _root = new([], [], [], 0, 0);
    private long _epoch;
    private long _position = -1;
    private long _malformed;
    private ulong _botUserId;

    /// <summary>Creates an empty cache for one shard.</summary>
    public ShardCache(int shardId, CacheOptions options)
    {
        ShardId = shardId;
        // Copied: the flags decide what every stored guild looks like, so they cannot change under the cache.
        _options = options.Clone();
        _compressCold = options.CompressColdAfter > TimeSpan.Zero;
        _coldMilliseconds = (long)options.CompressColdAfter.TotalMilliseconds;
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
        get => Volatile.Read(ref _botUserId);
        set
        {
            lock (_gate)
            {
                WritableRoot().BotUserId = value;
                Volatile.Write(ref _botUserId, value);
            }
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

    /// <summary>An immutable view as of the last applied position; O(1) (the writer then clones what it next changes).</summary>
    public CacheSnapshot Snapshot()
    {
        lock (_gate)
        {
            // A root of an older epoch is already frozen (nothing changed since the last snapshot): no need to end this one.
            if (_root.Epoch == _epoch)
            {
                _epoch++;
            }

            return new CacheSnapshot(_root, Volatile.Read(ref _position));
        }
    }

    /// <summary>Forgets everything (a new upstream session will send READY and every guild again); the position stays.</summary>
    public void Clear()
    {
        lock (_gate)
        {
            _root = new CacheRoot([], [], [], _root.BotUserId, _epoch);
        }
    }

    /// <summary>Counts per kind and approximate bytes, for the <c>gateway_cache_*</c> metrics; O(guilds).</summary>
    /// <remarks>Reads the live root under the lock rather than taking a snapshot, so metrics never cause copies.</remarks>
    public CacheStats GetStats()
    {
        lock (_gate)
        {
            return CacheSnapshot.GetStats(_root, Volatile.Read(ref _malformed), _options.Users);
        }
    }

    private CacheApplyResult ApplyEvent(CacheEvent ev, ReadOnlySpan<byte> data, long position)
    {
        ReadOnlySpan<byte> trimmed = data.TrimStart(" \t\r\n"u8);
        if (trimmed.IsEmpty || trimmed[0] != (byte)'{')
        {
            // Every event the cache applies carries an object; the lookups below would just find nothing.
            _malformed++;
            Volatile.Write(ref _position, position);
            return CacheApplyResult.Malformed;
        }

        if (ev == CacheEvent.GuildCreate)
        {
            return ApplyGuildCreate(data, position);
        }

        CacheApplyResult result = CacheApplyResult.Applied;
        lock (_gate)
        {
            try
            {
                // Checked whole first, so bad input changes nothing: a walker reads only the values it needs, so a
                // malformed value it skips (a role's escaped name, a presence's activity) would otherwise be stored.
                // GUILD_CREATE needs no such pass: building the guild walks and checks every value of it.
                JsonValue.Validate(data);

                ApplyCore(ev, data);
                if (_compressCold)
                {
                    SweepCold();
                }
            }
            catch (Exception e) when (IsMalformedData(e))
            {
                result = CacheApplyResult.Malformed;
                _malformed++;
            }

            Volatile.Write(ref _position, position);
        }

        return result;
    }

    /// <summary>GUILD_CREATE: the guild is built outside the lock (a big one takes long, and identifying clients must not wait), then put in.</summary>
    private CacheApplyResult ApplyGuildCreate(ReadOnlySpan<byte> data, long position)
    {
        GuildState? guild = null;
        CacheApplyResult result = CacheApplyResult.Applied;
        try
        {
            guild = BuildGuild(data);
        }
        catch (Exception e) when (IsMalformedData(e))
        {
            result = CacheApplyResult.Malformed;
        }

        lock (_gate)
        {
            if (guild is not null)
            {
                SetGuild(guild);

                // Its stand-in no longer needs the lost content (which may be this very guild, refilled, or an older one).
                guild.Shell?.ClearRecycle();
            }
            else if (result == CacheApplyResult.Malformed)
            {
                _malformed++;
            }

            Volatile.Write(ref _position, position);
        }

        return result;
    }

    /// <summary>What the JSON readers throw for data that is not the expected shape (Utf8JsonReader throws InvalidOperationException for a wrong token type).</summary>
    private static bool IsMalformedData(Exception e) => e is JsonException or InvalidOperationException;

    private void ApplyCore(CacheEvent ev, ReadOnlySpan<byte> data)
    {
        switch (ev)
        {
            case CacheEvent.Ready: ApplyReadyCore(data); break;
            case CacheEvent.GuildUpdate: ApplyGuildUpdate(data); break;
            case CacheEvent.GuildDelete: ApplyGuildDelete(data); break;
            case CacheEvent.UserUpdate: ApplyUserUpdate(data); break;
            case CacheEvent.ChannelUpsert: ApplyChannelUpsert(data); break;
            case CacheEvent.ChannelDelete: ApplyEntityDelete(CacheEntityKind.Channels, "id"u8, data); break;
            case CacheEvent.ThreadUpsert: ApplyThreadUpsert(data); break;
            case CacheEvent.ThreadDelete: ApplyEntityDelete(CacheEntityKind.Threads, "id"u8, data); break;
            case CacheEvent.ThreadListSync: ApplyThreadListSync(data); break;
            case CacheEvent.RoleUpsert: ApplyRoleUpsert(data); break;
            case CacheEvent.RoleDelete: ApplyEntityDelete(CacheEntityKind.Roles, "role_id"u8, data); break;
            case CacheEvent.EmojisUpdate: ApplyListReplace(CacheEntityKind.Emojis, "emojis"u8, data); break;
            case CacheEvent.StickersUpdate: ApplyListReplace(CacheEntityKind.Stickers, "stickers"u8, data); break;
            case CacheEvent.MemberAdd: ApplyMemberAdd(data); break;
            case CacheEvent.MemberUpdate: ApplyMemberUpdate(data); break;
            case CacheEvent.MemberRemove: ApplyMemberRemove(data); break;
            case CacheEvent.MembersChunk: ApplyMembersChunk(data); break;
            case CacheEvent.PresenceUpdate: ApplyPresenceUpdate(data); break;
            case CacheEvent.VoiceStateUpdate: ApplyVoiceStateUpdate(data); break;
            case CacheEvent.StageInstanceUpsert: ApplyEntityUpsert(CacheEntityKind.StageInstances, data); break;
            case CacheEvent.StageInstanceDelete: ApplyEntityDelete(CacheEntityKind.StageInstances, "id"u8, data); break;
            case CacheEvent.ScheduledEventUpsert: ApplyEntityUpsert(CacheEntityKind.ScheduledEvents, data); break;
            case CacheEvent.ScheduledEventDelete: ApplyEntityDelete(CacheEntityKind.ScheduledEvents, "id"u8, data); break;
            case CacheEvent.SoundboardSoundUpsert: ApplyEntityUpsert(CacheEntityKind.SoundboardSounds, data); break;
            case CacheEvent.SoundboardSoundDelete: ApplyEntityDelete(CacheEntityKind.SoundboardSounds, "sound_id"u8, data); break;
            case CacheEvent.SoundboardSoundsUpdate: ApplyListUpsert(CacheEntityKind.SoundboardSounds, "soundboard_sounds"u8, data); break;
            case CacheEvent.SoundboardSounds: ApplyListReplace(CacheEntityKind.SoundboardSounds, "soundboard_sounds"u8, data); break;
        }
    }

    /// <summary>The available guild <paramref name="guildId"/> (read only), or false when unknown or unavailable.</summary>
    private bool TryGetGuild(ulong guildId, out GuildState guild)
    {
        if (_root.Guilds.TryGetValue(guildId, out GuildState? found) && !found.Unavailable)
        {
            guild = found;
            return true;
        }

        guild = null!;
        return false;
    }

    /// <summary>The root, cloned first when a snapshot may see it.</summary>
    private CacheRoot WritableRoot()
    {
        if (_root.Epoch != _epoch)
        {
            _root = _root.Clone(_epoch);
        }

        return _root;
    }

    /// <summary><paramref name="guild"/> itself when this epoch owns it, else its clone, put in the (writable) root.</summary>
    private GuildState Writable(GuildState guild)
    {
        if (guild.Epoch == _epoch)
        {
            return guild;
        }

        GuildState clone = guild.Clone(_epoch);
        WritableRoot().Guilds[clone.Id] = clone;
        return clone;
    }

    /// <summary>Puts a new guild (built in this epoch) in the root.</summary>
    private void SetGuild(GuildState guild) => WritableRoot().Guilds[guild.Id] = guild;
}
