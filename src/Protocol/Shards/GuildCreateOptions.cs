namespace GatewayProxy.Protocol.Shards;

/// <summary>What a client asked for at IDENTIFY that changes the GUILD_CREATEs Discord would send it.</summary>
/// <param name="LargeThreshold">IDENTIFY <c>large_threshold</c> (50–250; Discord's default is 50).</param>
/// <param name="GuildPresencesIntent">The client's intents include GUILD_PRESENCES (1 &lt;&lt; 8).</param>
/// <param name="GuildMembersIntent">The client's intents include GUILD_MEMBERS (1 &lt;&lt; 1).</param>
/// <param name="BotUserId">The bot's own user id: its member is always included.</param>
public readonly record struct GuildCreateOptions(int LargeThreshold, bool GuildPresencesIntent, bool GuildMembersIntent, ulong BotUserId);
