namespace GatewayProxy.Ingress.Rest;

/// <summary>The answer of <c>GET /gateway/bot</c>: where to connect, how many shards Discord recommends, and the identify limits.</summary>
/// <param name="Url">The gateway URL (bare, no query), e.g. <c>wss://gateway.discord.gg</c>.</param>
/// <param name="Shards">The recommended shard count.</param>
/// <param name="SessionStartLimit">The identify budget and concurrency.</param>
public sealed record GatewayBotInfo(Uri Url, int Shards, SessionStartLimit SessionStartLimit);

/// <summary><c>session_start_limit</c>: how many IDENTIFYs remain until <paramref name="ResetAfter"/>, and how many buckets may identify at once.</summary>
/// <param name="Total">IDENTIFYs allowed per window (1000 per 24 h on Discord).</param>
/// <param name="Remaining">IDENTIFYs left in the current window.</param>
/// <param name="ResetAfter">Time until the window resets.</param>
/// <param name="MaxConcurrency">Identify buckets: a shard identifies in bucket <c>shard % max_concurrency</c>.</param>
public sealed record SessionStartLimit(int Total, int Remaining, TimeSpan ResetAfter, int MaxConcurrency);
