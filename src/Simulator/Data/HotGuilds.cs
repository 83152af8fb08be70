namespace GatewayProxy.Simulator.Data;

/// <summary>
/// The guilds of one shard that are held as trees, oldest thawed first, so the shard can keep at most
/// <see cref="SimulatorOptions.HotGuildsPerShard"/> of them between generation calls (the rest are frozen back to bytes).
/// Guarded by the shard's lock, like the guilds.
/// </summary>
internal sealed class HotGuilds
{
    private readonly List<GuildData> _order = [];

    /// <summary>Trees held now.</summary>
    public int Count => _order.Count;

    /// <summary>Records a guild that just thawed.</summary>
    public void Thawed(GuildData guild) => _order.Add(guild);

    /// <summary>Freezes the oldest thawed guilds until at most <paramref name="limit"/> trees remain; null keeps every tree.</summary>
    public void Trim(int? limit)
    {
        if (limit is not { } keep || _order.Count <= keep)
        {
            return;
        }

        var drop = _order.Count - keep;
        for (var i = 0; i < drop; i++)
        {
            _order[i].Freeze();
        }

        _order.RemoveRange(0, drop);
    }
}
