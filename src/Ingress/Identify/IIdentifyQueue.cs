namespace GatewayProxy.Ingress.Identify;

/// <summary>Decides when a shard may send IDENTIFY (in-process buckets, or an external queue shared by several processes).</summary>
public interface IIdentifyQueue
{
    /// <summary>Waits until <paramref name="shardId"/> may identify; report <see cref="IdentifyTurn.Sent"/> once the
    /// IDENTIFY is on the wire, and dispose the turn in every case.</summary>
    ValueTask<IdentifyTurn> WaitTurnAsync(int shardId, CancellationToken ct);

    /// <summary>Discord answered the IDENTIFY <paramref name="shardId"/> just sent with op 9 (invalid session): the
    /// spacing it saw was too short, whatever ours was.</summary>
    void OnIdentifyRefused(int shardId);
}
