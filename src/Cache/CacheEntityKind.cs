namespace GatewayProxy.Cache;

/// <summary>The per-guild collections the cache can keep; each is written as one GUILD_CREATE array.</summary>
public enum CacheEntityKind
{
    /// <summary>Guild channels, keyed by channel id (<c>channels</c>).</summary>
    Channels,
    /// <summary>Active threads, keyed by thread id (<c>threads</c>; kept with <see cref="CacheOptions.Channels"/>).</summary>
    Threads,
    /// <summary>Members, keyed by user id (<c>members</c>).</summary>
    Members,
    /// <summary>Roles, keyed by role id (<c>roles</c>).</summary>
    Roles,
    /// <summary>Emojis, keyed by emoji id (<c>emojis</c>).</summary>
    Emojis,
    /// <summary>Stickers, keyed by sticker id (<c>stickers</c>).</summary>
    Stickers,
    /// <summary>Non-offline presences, keyed by user id (<c>presences</c>).</summary>
    Presences,
    /// <summary>Voice states of users in a channel, keyed by user id (<c>voice_states</c>).</summary>
    VoiceStates,
    /// <summary>Stage instances, keyed by id (<c>stage_instances</c>).</summary>
    StageInstances,
    /// <summary>Scheduled events, keyed by id (<c>guild_scheduled_events</c>).</summary>
    ScheduledEvents,
    /// <summary>Soundboard sounds, keyed by sound_id (<c>soundboard_sounds</c>).</summary>
    SoundboardSounds,
}
