using System.Text.Json.Serialization;

namespace GatewayProxy.Host.Configuration;

/// <summary>
/// What the per-shard guild cache keeps (reference field <c>cache</c>), and so what the GUILD_CREATEs a
/// client receives contain. Every flag defaults to true, so an omitted <c>cache</c> mirrors Discord's GUILD_CREATE.
/// </summary>
public sealed record CacheConfig
{
    /// <summary>Guild channels and threads.</summary>
    [JsonPropertyName("channels")]
    public bool Channels { get; init; } = true;

    /// <summary>Member presences (needs the GUILD_PRESENCES intent to receive any).</summary>
    [JsonPropertyName("presences")]
    public bool Presences { get; init; } = true;

    /// <summary>Guild emojis.</summary>
    [JsonPropertyName("emojis")]
    public bool Emojis { get; init; } = true;

    /// <summary>The bot's own member in each guild, even when <see cref="Members"/> is off.</summary>
    [JsonPropertyName("current_member")]
    public bool CurrentMember { get; init; } = true;

    /// <summary>Guild members.</summary>
    [JsonPropertyName("members")]
    public bool Members { get; init; } = true;

    /// <summary>Guild roles.</summary>
    [JsonPropertyName("roles")]
    public bool Roles { get; init; } = true;

    /// <summary>Guild scheduled events.</summary>
    [JsonPropertyName("scheduled_events")]
    public bool ScheduledEvents { get; init; } = true;

    /// <summary>Soundboard sounds.</summary>
    [JsonPropertyName("soundboard_sounds")]
    public bool SoundboardSounds { get; init; } = true;

    /// <summary>Stage instances.</summary>
    [JsonPropertyName("stage_instances")]
    public bool StageInstances { get; init; } = true;

    /// <summary>Guild stickers.</summary>
    [JsonPropertyName("stickers")]
    public bool Stickers { get; init; } = true;

    /// <summary>The user objects inside members.</summary>
    [JsonPropertyName("users")]
    public bool Users { get; init; } = true;

    /// <summary>Voice states.</summary>
    [JsonPropertyName("voice_states")]
    public bool VoiceStates { get; init; } = true;
}
