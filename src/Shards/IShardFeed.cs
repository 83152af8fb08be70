using GatewayProxy.Protocol.Events;
using GatewayProxy.Cache;
using GatewayProxy.Ring;

namespace GatewayProxy.Shards;

/// <summary>One upstream shard as Egress consumes it: its event ring, its cache snapshots and its command sender.</summary>
/// <remarks>Ingress's shard implements it; Egress consumes it and never references Ingress (docs/architecture.md).</remarks>
public interface IShardFeed
{
    /// <summary>The shard id.</summary>
    int ShardId { get; }

    /// <summary>The shard's ring of relayed dispatches (one producer: the shard's connection).</summary>
    PayloadRing<EventMeta> Ring { get; }

    /// <summary>Upstream READY received and every READY guild answered (GUILD_CREATE or unavailable).</summary>
    bool IsReady { get; }

    /// <summary>Completes when <see cref="IsReady"/> (again after a re-identify).</summary>
    Task WaitReadyAsync(CancellationToken ct);

    /// <summary>An immutable view of the cache; its Position is the last ring sequence applied to it.</summary>
    IShardSnapshot TakeSnapshot();

    /// <summary>Sends op 3/4/8/31 upstream through the shard's 120/60 s limiter; false with a reason when it cannot.</summary>
    bool TrySendCommand(ReadOnlySpan<byte> payload, out string? reason);

    /// <summary>A short status, e.g. "ready", "connecting", "identifying", "resuming", "stopped: &lt;why&gt;".</summary>
    string Status { get; }

    /// <summary>The last heartbeat round trip, when one was measured.</summary>
    double? LatencyMs { get; }
}
