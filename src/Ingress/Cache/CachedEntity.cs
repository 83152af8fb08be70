namespace GatewayProxy.Ingress.Cache;

/// <summary>One cached entity: its compact JSON object, plus a flag precomputed at store time.</summary>
/// <param name="Json">The entity as Discord would put it in a GUILD_CREATE array.</param>
/// <param name="Notable">Members only: has a role or a nick, so a large guild's member list still includes it.</param>
/// <remarks>A record struct so the immutable maps compare values by reference, never by reflection.</remarks>
internal readonly record struct CachedEntity(byte[] Json, bool Notable);
