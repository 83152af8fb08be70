using GatewayProxy.Protocol.Gateway;

namespace GatewayProxy.Cache;

/// <summary>The dispatches the cache applies; everything else is <see cref="None"/> (only the position moves).</summary>
internal enum CacheEvent : byte
{
    None,
    Ready,
    GuildCreate,
    GuildUpdate,
    GuildDelete,
    ChannelUpsert,
    ChannelDelete,
    ThreadUpsert,
    ThreadDelete,
    ThreadListSync,
    RoleUpsert,
    RoleDelete,
    EmojisUpdate,
    StickersUpdate,
    MemberAdd,
    MemberUpdate,
    MemberRemove,
    MembersChunk,
    PresenceUpdate,
    VoiceStateUpdate,
    StageInstanceUpsert,
    StageInstanceDelete,
    ScheduledEventUpsert,
    ScheduledEventDelete,
    SoundboardSoundUpsert,
    SoundboardSoundDelete,
    SoundboardSoundsUpdate,
    SoundboardSounds,
    UserUpdate,
}

/// <summary>Maps a dispatch name (<c>t</c>) to what the cache does with it.</summary>
internal static class CacheEvents
{
    /// <summary>The cache's view of every interned event kind, so the updater maps a kind with one array load.</summary>
    private static readonly CacheEvent[] ByKind = BuildKindTable();

    /// <summary>The cache's view of an interned event kind.</summary>
    public static CacheEvent FromKind(EventKind kind) => (uint)kind < (uint)ByKind.Length ? ByKind[(int)kind] : CacheEvent.None;

    private static CacheEvent[] BuildKindTable()
    {
        int max = 0;
        foreach (EventKind kind in EventKinds.All)
        {
            max = Math.Max(max, (int)kind);
        }

        var table = new CacheEvent[max + 1];
        foreach (EventKind kind in EventKinds.All)
        {
            if (kind is not EventKind.None and not EventKind.Unknown)
            {
                table[(int)kind] = FromName(EventKinds.ToUtf8Name(kind));
            }
        }

        return table;
    }

    /// <summary>The cache's view of an event name; irrelevant names are rejected after one or two byte compares.</summary>
    public static CacheEvent FromName(ReadOnlySpan<byte> t)
    {
        if (t.Length < 5)
        {
            return CacheEvent.None;
        }

        return t[0] switch
        {
            (byte)'G' => FromGuildName(t),
            (byte)'C' => t.SequenceEqual("CHANNEL_CREATE"u8) || t.SequenceEqual("CHANNEL_UPDATE"u8) ? CacheEvent.ChannelUpsert
                : t.SequenceEqual("CHANNEL_DELETE"u8) ? CacheEvent.ChannelDelete : CacheEvent.None,
            (byte)'T' => t.SequenceEqual("THREAD_CREATE"u8) || t.SequenceEqual("THREAD_UPDATE"u8) ? CacheEvent.ThreadUpsert
                : t.SequenceEqual("THREAD_DELETE"u8) ? CacheEvent.ThreadDelete
                : t.SequenceEqual("THREAD_LIST_SYNC"u8) ? CacheEvent.ThreadListSync : CacheEvent.None,
            (byte)'P' => t.SequenceEqual("PRESENCE_UPDATE"u8) ? CacheEvent.PresenceUpdate : CacheEvent.None,
            (byte)'V' => t.SequenceEqual("VOICE_STATE_UPDATE"u8) ? CacheEvent.VoiceStateUpdate : CacheEvent.None,
            (byte)'R' => t.SequenceEqual("READY"u8) ? CacheEvent.Ready : CacheEvent.None,
            (byte)'U' => t.SequenceEqual("USER_UPDATE"u8) ? CacheEvent.UserUpdate : CacheEvent.None,
            (byte)'S' => t.SequenceEqual("STAGE_INSTANCE_CREATE"u8) || t.SequenceEqual("STAGE_INSTANCE_UPDATE"u8) ? CacheEvent.StageInstanceUpsert
                : t.SequenceEqual("STAGE_INSTANCE_DELETE"u8) ? CacheEvent.StageInstanceDelete
                : t.SequenceEqual("SOUNDBOARD_SOUNDS"u8) ? CacheEvent.SoundboardSounds : CacheEvent.None,
            _ => CacheEvent.None,
        };
    }

    private static CacheEvent FromGuildName(ReadOnlySpan<byte> t)
    {
        if (!t.StartsWith("GUILD_"u8))
        {
            return CacheEvent.None;
        }

        ReadOnlySpan<byte> rest = t[6..];
        return rest switch
        {
            _ when rest.SequenceEqual("CREATE"u8) => CacheEvent.GuildCreate,
            _ when rest.SequenceEqual("UPDATE"u8) => CacheEvent.GuildUpdate,
            _ when rest.SequenceEqual("DELETE"u8) => CacheEvent.GuildDelete,
            _ when rest.SequenceEqual("ROLE_CREATE"u8) || rest.SequenceEqual("ROLE_UPDATE"u8) => CacheEvent.RoleUpsert,
            _ when rest.SequenceEqual("ROLE_DELETE"u8) => CacheEvent.RoleDelete,
            _ when rest.SequenceEqual("EMOJIS_UPDATE"u8) => CacheEvent.EmojisUpdate,
            _ when rest.SequenceEqual("STICKERS_UPDATE"u8) => CacheEvent.StickersUpdate,
            _ when rest.SequenceEqual("MEMBER_ADD"u8) => CacheEvent.MemberAdd,
            _ when rest.SequenceEqual("MEMBER_UPDATE"u8) => CacheEvent.MemberUpdate,
            _ when rest.SequenceEqual("MEMBER_REMOVE"u8) => CacheEvent.MemberRemove,
            _ when rest.SequenceEqual("MEMBERS_CHUNK"u8) => CacheEvent.MembersChunk,
            _ when rest.SequenceEqual("SCHEDULED_EVENT_CREATE"u8) || rest.SequenceEqual("SCHEDULED_EVENT_UPDATE"u8) => CacheEvent.ScheduledEventUpsert,
            _ when rest.SequenceEqual("SCHEDULED_EVENT_DELETE"u8) => CacheEvent.ScheduledEventDelete,
            _ when rest.SequenceEqual("SOUNDBOARD_SOUND_CREATE"u8) || rest.SequenceEqual("SOUNDBOARD_SOUND_UPDATE"u8) => CacheEvent.SoundboardSoundUpsert,
            _ when rest.SequenceEqual("SOUNDBOARD_SOUND_DELETE"u8) => CacheEvent.SoundboardSoundDelete,
            _ when rest.SequenceEqual("SOUNDBOARD_SOUNDS_UPDATE"u8) => CacheEvent.SoundboardSoundsUpdate,
            _ => CacheEvent.None,
        };
    }
}
