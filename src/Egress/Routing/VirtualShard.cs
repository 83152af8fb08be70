namespace GatewayProxy.Egress.Routing;

/// <summary>A client's <c>shard: [index, count]</c> when count differs from the upstream shard count: the guilds with
/// <c>(guild_id &gt;&gt; 22) % count == index</c>, read from every upstream shard that can hold one of them
/// (docs/architecture.md, "Virtual shards").</summary>
internal readonly record struct VirtualShard(int Index, int Count)
{
    /// <summary>Largest shard count a client may identify with.</summary>
    public const int MaxCount = 4096;

    /// <summary>Discord's shard of a guild: <c>(guild_id &gt;&gt; 22) % count</c>.</summary>
    public static int ShardOf(ulong guildId, int count) => (int)((guildId >> 22) % (ulong)count);

    /// <summary>True when the client gets events of <paramref name="guildId"/>.</summary>
    public bool Contains(ulong guildId) => ShardOf(guildId, Count) == Index;

    /// <summary>True when the client gets an event of <paramref name="guildId"/> (0: the event has no guild) read from upstream
    /// shard <paramref name="upstreamShard"/>.</summary>
    /// <remarks>Events without a guild go to index 0 only, and only from upstream shard 0 (where Discord sends them): a client
    /// reading several upstream shards must not get one copy from each.</remarks>
    public bool Accepts(ulong guildId, int upstreamShard) =>
        guildId != 0 ? ShardOf(guildId, Count) == Index : Index == 0 && upstreamShard == 0;

    /// <summary>The upstream shards (of <paramref name="upstreamCount"/>) that can hold a guild of this virtual shard, ascending:
    /// those congruent to <see cref="Index"/> modulo gcd(<see cref="Count"/>, <paramref name="upstreamCount"/>).</summary>
    public int[] UpstreamShards(int upstreamCount)
    {
        int step = Gcd(Count, upstreamCount);
        int first = Index % step;
        var shards = new int[(upstreamCount - first + step - 1) / step];
        for (int k = 0; k < shards.Length; k++) shards[k] = first + (k * step);
        return shards;
    }

    private static int Gcd(int a, int b)
    {
        while (b != 0) (a, b) = (b, a % b);
        return a;
    }
}
