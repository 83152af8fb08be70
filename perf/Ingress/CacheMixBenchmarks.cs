using GatewayProxy.Protocol.Gateway;
using System.Text;
using BenchmarkDotNet.Attributes;
using GatewayProxy.Cache;
using GatewayProxy.Simulator;
using GatewayProxy.Simulator.Data;
using GatewayProxy.Simulator.Gateway;

namespace GatewayProxy.Perf.Ingress;

/// <summary>The cache updater's real diet: the Simulator's live event mix (as the e2e driver replays it), applied in a loop.</summary>
[MemoryDiagnoser]
public class CacheMixBenchmarks
{
    private const int PoolSize = 1024;

    private readonly List<(byte[] Type, byte[] Data)> _pool = new(PoolSize + 16);
    private ShardCache _cache = null!;
    private long _position;

    [GlobalSetup]
    public void Setup()
    {
        SimulatorState state = new DataGenerator(new SimulatorOptions { ShardCount = 1, GuildCount = 4, Seed = 1 }).Generate();
        ShardData shard = state.Shard(0);
        _cache = new ShardCache(0, CacheOptions.All());
        _cache.ApplyDispatch("READY"u8, Json(ReadyBuilder.Build(state, shard, "session", "ws://127.0.0.1", 0, 1)), _position++);
        foreach (GuildData guild in shard.Guilds)
        {
            _cache.ApplyDispatch("GUILD_CREATE"u8, Json(GuildViews.GuildCreate(guild, GatewayIntents.All, 250, state.BotUserId)), _position++);
        }

        var generator = new EventGenerator(shard, state.BotUserId);
        var live = new List<LiveEvent>();
        while (_pool.Count < PoolSize)
        {
            live.Clear();
            generator.Next(GatewayIntents.All, 8, live);
            foreach (LiveEvent ev in live)
            {
                byte[] data = ev.GuildCreate is { } guild ? Json(GuildViews.GuildCreate(guild, GatewayIntents.All, 250, state.BotUserId)) : ev.Data;
                _pool.Add((Encoding.UTF8.GetBytes(ev.Type), data));
            }
        }
    }

    /// <summary>The first 1024 events of the pool (figures are per event).</summary>
    [Benchmark(OperationsPerInvoke = PoolSize)]
    public long ApplySimulatorMix()
    {
        for (int i = 0; i < PoolSize; i++)
        {
            (byte[] type, byte[] data) = _pool[i];
            _cache.ApplyDispatch(type, data, _position++);
        }

        return _position;
    }

    private static byte[] Json(System.Text.Json.Nodes.JsonObject obj) => Encoding.UTF8.GetBytes(obj.ToJsonString());
}
