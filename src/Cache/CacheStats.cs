namespace GatewayProxy.Cache;

/// <summary>Sizes of a shard's cache, for the <c>gateway_cache_&lt;kind&gt;{shard}</c> metrics.</summary>
public sealed class CacheStats
{
    private readonly long[] _counts;

    /// <summary>Creates stats from per-kind counts (indexed by <see cref="CacheEntityKind"/>).</summary>
    public CacheStats(int guilds, int unavailableGuilds, long[] counts, long users, long approximateBytes, long malformedEvents)
    {
        Guilds = guilds;
        UnavailableGuilds = unavailableGuilds;
        _counts = counts;
        Users = users;
        ApproximateBytes = approximateBytes;
        MalformedEvents = malformedEvents;
    }

    /// <summary>Guilds known to the shard, unavailable ones included.</summary>
    public int Guilds { get; }

    /// <summary>Guilds announced or lost but not (re)created.</summary>
    public int UnavailableGuilds { get; }

    /// <summary>Member entries carrying a full user object (0 when the users flag is off; users are not deduplicated across guilds).</summary>
    public long Users { get; }

    /// <summary>Approximate memory the cache holds (JSON blobs plus per-entry overhead).</summary>
    public long ApproximateBytes { get; }

    /// <summary>Events whose data was malformed and could not be applied.</summary>
    public long MalformedEvents { get; }

    /// <summary>Entities of one kind across all guilds.</summary>
    public long Count(CacheEntityKind kind) => _counts[(int)kind];

    /// <summary>Channels.</summary>
    public long Channels => Count(CacheEntityKind.Channels);
    /// <summary>Active threads.</summary>
    public long Threads => Count(CacheEntityKind.Threads);
    /// <summary>Members.</summary>
    public long Members => Count(CacheEntityKind.Members);
    /// <summary>Roles.</summary>
    public long Roles => Count(CacheEntityKind.Roles);
    /// <summary>Emojis.</summary>
    public long Emojis => Count(CacheEntityKind.Emojis);
    /// <summary>Stickers.</summary>
    public long Stickers => Count(CacheEntityKind.Stickers);
    /// <summary>Non-offline presences.</summary>
    public long Presences => Count(CacheEntityKind.Presences);
    /// <summary>Voice states.</summary>
    public long VoiceStates => Count(CacheEntityKind.VoiceStates);
    /// <summary>Stage instances.</summary>
    public long StageInstances => Count(CacheEntityKind.StageInstances);
    /// <summary>Scheduled events.</summary>
    public long ScheduledEvents => Count(CacheEntityKind.ScheduledEvents);
    /// <summary>Soundboard sounds.</summary>
    public long SoundboardSounds => Count(CacheEntityKind.SoundboardSounds);
}
