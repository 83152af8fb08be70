namespace GatewayProxy.Ingress.Identify;

/// <summary>Decides when a shard may send IDENTIFY (in-process buckets, or an external queue shared by several processes).</summary>
public interface IIdentifyQueue
{
    /// <summary>Waits until <paramref name="shardId"/> may identify; dispose the turn right after sending IDENTIFY (or on failure).</summary>
    ValueTask<IdentifyTurn> WaitTurnAsync(int shardId, CancellationToken ct);
}
