using GatewayProxy.Cache.Persistence;

namespace GatewayProxy.Ingress.State;

/// <summary>One shard in a state file: its upstream session, the sequence its cache has applied, and the cache.</summary>
/// <param name="ShardId">The shard id.</param>
/// <param name="ShardCount">The bot's total shard count when it was saved.</param>
/// <param name="SessionId">The upstream session id.</param>
/// <param name="Sequence">The last upstream sequence received; the cache includes every event up to it.</param>
/// <param name="ResumeUrl">READY's <c>resume_gateway_url</c> (null: resume at the normal gateway URL).</param>
/// <param name="Cache">The shard's cache as of <paramref name="Sequence"/>.</param>
public sealed record SavedShard(int ShardId, int ShardCount, string SessionId, long Sequence, string? ResumeUrl, SavedCache Cache);
