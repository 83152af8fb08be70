namespace GatewayProxy.Cache.Persistence;

/// <summary>A shard's guild cache in a state file: what upstream READY taught it, and every guild.</summary>
/// <param name="BotUserJson">READY's (then USER_UPDATE's) bot user object.</param>
/// <param name="ApplicationJson">READY's application object.</param>
/// <param name="Guilds">Every guild of the shard, ascending by id, unavailable ones included.</param>
public sealed record SavedCache(byte[] BotUserJson, byte[] ApplicationJson, IReadOnlyList<SavedGuild> Guilds);
