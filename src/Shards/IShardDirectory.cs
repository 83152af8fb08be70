namespace GatewayProxy.Shards;

/// <summary>The shards this process serves.</summary>
public interface IShardDirectory
{
    /// <summary>The bot's shard count (IDENTIFY shard[1] must equal it).</summary>
    int TotalShards { get; }

    /// <summary>First shard this process owns (inclusive).</summary>
    int ShardStart { get; }

    /// <summary>End of the owned range (exclusive).</summary>
    int ShardEnd { get; }

    /// <summary>The feed of a shard; null outside [ShardStart, ShardEnd).</summary>
    IShardFeed? GetShard(int shardId);
}
