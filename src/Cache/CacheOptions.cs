namespace GatewayProxy.Cache;

/// <summary>What a shard's cache keeps: the reference config's <c>cache</c> object (each flag one kind).</summary>
/// <remarks>
/// A kind that is not kept is written as an empty array in crafted GUILD_CREATEs. <see cref="Users"/> decides whether
/// members carry their full user object; when off a member keeps a stub user (id, username, discriminator,
/// global_name, avatar, bot, system): the fields client libraries require to build a user (discord.py reads
/// <c>username</c> unconditionally, twilight requires <c>discriminator</c>), nothing decorative.
/// </remarks>
public sealed class CacheOptions
{
    /// <summary>Keep guild channels (and active threads).</summary>
    public bool Channels { get; set; }
    /// <summary>Keep presences (non-offline only: Discord never sends offline ones in GUILD_CREATE).</summary>
    public bool Presences { get; set; }
    /// <summary>Keep guild emojis.</summary>
    public bool Emojis { get; set; }
    /// <summary>Keep guild members.</summary>
    public bool Members { get; set; }
    /// <summary>Keep guild roles.</summary>
    public bool Roles { get; set; }
    /// <summary>Keep stage instances.</summary>
    public bool StageInstances { get; set; }
    /// <summary>Keep guild stickers.</summary>
    public bool Stickers { get; set; }
    /// <summary>Keep full user objects inside members (otherwise a stub user, see remarks).</summary>
    public bool Users { get; set; }
    /// <summary>Keep voice states.</summary>
    public bool VoiceStates { get; set; }
    /// <summary>Keep the bot's own member in every guild even when <see cref="Members"/> is off.</summary>
    public bool CurrentMember { get; set; } = true;
    /// <summary>Keep guild scheduled events.</summary>
    public bool ScheduledEvents { get; set; }
    /// <summary>Keep soundboard sounds.</summary>
    public bool SoundboardSounds { get; set; }

    /// <summary>
    /// Cold-guild compression: zero = off; otherwise guilds are kept LZ4-compressed from their GUILD_CREATE on, a chunk of
    /// entities an event changes is decompressed, and compressed again once untouched for this long.
    /// </summary>
    /// <remarks>Memory for CPU: each client GUILD_CREATE and each first change of a compressed chunk decompresses it (docs/architecture.md, "Guild cache").</remarks>
    public TimeSpan CompressColdAfter { get; set; }

    /// <summary>Every kind on: a proxy whose clients see exactly what Discord would send.</summary>
    public static CacheOptions All() => new()
    {
        Channels = true,
        Presences = true,
        Emojis = true,
        Members = true,
        Roles = true,
        StageInstances = true,
        Stickers = true,
        Users = true,
        VoiceStates = true,
        CurrentMember = true,
        ScheduledEvents = true,
        SoundboardSounds = true,
    };

    /// <summary>A copy of these flags.</summary>
    public CacheOptions Clone() => (CacheOptions)MemberwiseClone();

    /// <summary>Whether entities of <paramref name="kind"/> are stored at all (members: see <see cref="CurrentMember"/>).</summary>
    public bool Keeps(CacheEntityKind kind) => kind switch
    {
        CacheEntityKind.Channels or CacheEntityKind.Threads => Channels,
        CacheEntityKind.Members => Members,
        CacheEntityKind.Roles => Roles,
        CacheEntityKind.Emojis => Emojis,
        CacheEntityKind.Stickers => Stickers,
        CacheEntityKind.Presences => Presences,
        CacheEntityKind.VoiceStates => VoiceStates,
        CacheEntityKind.StageInstances => StageInstances,
        CacheEntityKind.ScheduledEvents => ScheduledEvents,
        CacheEntityKind.SoundboardSounds => SoundboardSounds,
        _ => false,
    };
}
