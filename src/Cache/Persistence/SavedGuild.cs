namespace GatewayProxy.Cache.Persistence;

/// <summary>One cached guild in a state file.</summary>
/// <param name="Id">The guild id.</param>
/// <param name="GuildCreateJson">The guild as a complete GUILD_CREATE <c>d</c> object (every cached entity); null when it was unavailable.</param>
public sealed record SavedGuild(ulong Id, byte[]? GuildCreateJson);
