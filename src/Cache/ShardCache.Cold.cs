namespace GatewayProxy.Cache;

/// <summary>Cold-guild compression (<see cref="CacheOptions.CompressColdAfter"/>): compressing again what events decompressed.</summary>
public sealed partial class ShardCache
{
    /// <summary>
    /// At most every quarter of the cold time, compresses every chunk changed no later than the cold time ago; under the
    /// lock, after an applied event (so a quiet shard, which decompresses nothing, never sweeps). O(chunks) per sweep.
    /// </summary>
    private void SweepCold()
    {
        long now = Environment.TickCount64;
        if (now < _nextColdSweep)
        {
            return;
        }

        _nextColdSweep = now + (_coldMilliseconds / 4);
        long coldBefore = now - _coldMilliseconds;
        GuildState[] guilds = new GuildState[_root.Guilds.Count];
        _root.Guilds.Values.CopyTo(guilds, 0);
        foreach (GuildState guild in guilds)
        {
            if (!guild.Unavailable && guild.HasCold(coldBefore))
            {
                Writable(guild).FreezeCold(coldBefore);
            }
        }
    }
}
