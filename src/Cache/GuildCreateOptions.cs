using GatewayProxy.Protocol.Gateway;

namespace GatewayProxy.Cache;

/// <summary>What a client's IDENTIFY changes in the GUILD_CREATEs it gets.</summary>
/// <param name="LargeThreshold">The client's <c>large_threshold</c> (50..250; Discord's default 50).</param>
/// <param name="GuildPresencesIntent">The client asked for GUILD_PRESENCES (1 &lt;&lt; 8).</param>
/// <param name="GuildMembersIntent">The client asked for GUILD_MEMBERS (1 &lt;&lt; 1).</param>
/// <param name="BotUserId">The bot's user id (0: use the one the cache learned from READY).</param>
public readonly record struct GuildCreateOptions(int LargeThreshold, bool GuildPresencesIntent, bool GuildMembersIntent, ulong BotUserId)
{
    /// <summary>Discord's default large_threshold.</summary>
    public const int DefaultLargeThreshold = 50;

    /// <summary>Above this member count Discord sends only the bot and members in voice, whatever the intents.</summary>
    public const int MemberListLimit = 75000;

    /// <summary>Every cached member and presence, whatever the thresholds: the state file's complete copy of a guild.</summary>
    internal bool Complete { get; init; }

    /// <summary>Options from an IDENTIFY's intents and large_threshold (clamped to Discord's 50..250).</summary>
    public static GuildCreateOptions FromIdentify(long intents, int? largeThreshold, ulong botUserId) => new(
        Math.Clamp(largeThreshold ?? DefaultLargeThreshold, 50, 250),
        (intents & GatewayIntents.GuildPresences) != 0,
        (intents & GatewayIntents.GuildMembers) != 0,
        botUserId);
}
