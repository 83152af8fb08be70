namespace GatewayProxy.Ingress.State;

/// <summary>Everything a state file holds: when it was written and every saved shard.</summary>
/// <param name="WrittenAt">When the file was written (its age decides whether it is still worth resuming).</param>
/// <param name="Shards">The shards that had a resumable session, in id order.</param>
public sealed record ProxyState(DateTimeOffset WrittenAt, IReadOnlyList<SavedShard> Shards);
