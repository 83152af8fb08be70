using GatewayProxy.Egress;
using GatewayProxy.Ingress;
using GatewayProxy.Protocol.Events;
using GatewayProxy.Protocol.Shards;
using GatewayProxy.Ring;

namespace GatewayProxy.Host.Wiring;

/// <summary>Presents an Ingress <see cref="Shard"/> to Egress as the <see cref="IShardFeed"/> it consumes.</summary>
internal sealed class ShardFeed : IShardFeed
{
    private readonly Shard _shard;

    public ShardFeed(Shard shard) => _shard = shard;

    public int ShardId => _shard.Id;

    public RingBuffer<PayloadSlot<EventMeta>> Ring => _shard.Ring;

    public bool IsReady => _shard.IsReady;

    public Task WaitReadyAsync(CancellationToken ct) => _shard.WaitReadyAsync(ct);

    public IShardSnapshot TakeSnapshot() => _shard.TakeSnapshot();

    public bool TrySendCommand(ReadOnlySpan<byte> payload, out string? reason) => _shard.TrySendCommand(payload, out reason);

    public string Status => _shard.Status;

    public double? LatencyMs => _shard.LatencyMs;
}

/// <summary>Presents an Ingress <see cref="ShardManager"/> to Egress as its <see cref="IShardDirectory"/>.</summary>
internal sealed class ShardDirectory : IShardDirectory
{
    private readonly ShardManager _manager;
    private readonly ShardFeed[] _feeds;

    public ShardDirectory(ShardManager manager)
    {
        _manager = manager;
        _feeds = new ShardFeed[manager.ShardEnd - manager.ShardStart];
        for (int i = 0; i < _feeds.Length; i++)
        {
            _feeds[i] = new ShardFeed(manager.GetShard(manager.ShardStart + i)!);
        }
    }

    public int TotalShards => _manager.TotalShards;

    public int ShardStart => _manager.ShardStart;

    public int ShardEnd => _manager.ShardEnd;

    public IShardFeed? GetShard(int shardId) =>
        shardId >= ShardStart && shardId < ShardEnd ? _feeds[shardId - ShardStart] : null;
}
