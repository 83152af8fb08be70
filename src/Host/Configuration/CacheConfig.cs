using System.Text.Json.Serialization;

namespace GatewayProxy.Host.Configuration;

/// <summary>
/// What the per-shard guild cache keeps (reference field <c>cache</c>), and so what the GUILD_CREATEs a
/// client receives contain. Every flag defaults to true, so an omitted <c>cache</c> mirrors Discord's GUILD_CREATE.
/// </summary>
/// <remarks>
/// Positional with default values on purpose: System.Text.Json's source generator builds init-only types through
/// their constructor, and only constructor parameter defaults (not property initializers) survive a missing key.
/// </remarks>
/// <param name="Channels">Guild channels and threads.</param>
/// <param name="Presences">Member presences (needs the GUILD_PRESENCES intent to receive any).</param>
/// <param name="Emojis">Guild emojis.</param>
/// <param name="CurrentMember">The bot's own member in each guild, even when <paramref name="Members"/> is off.</param>
/// <param name="Members">Guild members.</param>
/// <param name="Roles">Guild roles.</param>
/// <param name="ScheduledEvents">Guild scheduled events.</param>
/// <param name="SoundboardSounds">Soundboard sounds.</param>
/// <param name="StageInstances">Stage instances.</param>
/// <param name="Stickers">Guild stickers.</param>
/// <param name="Users">The user objects inside members.</param>
/// <param name="VoiceStates">Voice states.</param>
/// <param name="CompressColdAfterSeconds">Cold-guild compression: 0 = off; else guilds are kept LZ4-compressed, and a part an event
/// changed is compressed again once untouched for this many seconds.</param>
public sealed record CacheConfig(
    [property: JsonPropertyName("channels")] bool Channels = true,
    [property: JsonPropertyName("presences")] bool Presences = true,
    [property: JsonPropertyName("emojis")] bool Emojis = true,
    [property: JsonPropertyName("current_member")] bool CurrentMember = true,
    [property: JsonPropertyName("members")] bool Members = true,
    [property: JsonPropertyName("roles")] bool Roles = true,
    [property: JsonPropertyName("scheduled_events")] bool ScheduledEvents = true,
    [property: JsonPropertyName("soundboard_sounds")] bool SoundboardSounds = true,
    [property: JsonPropertyName("stage_instances")] bool StageInstances = true,
    [property: JsonPropertyName("stickers")] bool Stickers = true,
    [property: JsonPropertyName("users")] bool Users = true,
    [property: JsonPropertyName("voice_states")] bool VoiceStates = true,
    [property: JsonPropertyName("compress_cold_after_seconds")] int CompressColdAfterSeconds = CacheConfig.DefaultCompressColdAfterSeconds)
{
    /// <summary>Default <c>compress_cold_after_seconds</c>.</summary>
    public const int DefaultCompressColdAfterSeconds = 0;

    /// <summary>Largest accepted <c>compress_cold_after_seconds</c> (a day).</summary>
    public const int MaxCompressColdAfterSeconds = 86_400;
}
