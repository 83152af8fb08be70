using System.Buffers;
using System.Globalization;
using System.Text;
using GatewayProxy.Cache;
using GatewayProxy.Protocol.Gateway;

namespace GatewayProxy.Perf.Ingress;

/// <summary>Measures cache memory per guild against the size of the GUILD_CREATE JSON it was built from.</summary>
internal static class CacheFootprint
{
    /// <summary>Prints, for a few guild sizes, managed bytes held per guild (GC-measured and the cache's own estimate) vs JSON bytes.</summary>
    public static void Print()
    {
        foreach ((int guilds, int members) in new[] { (2000, 10), (400, 200), (20, 5000) })
        {
            Measure(guilds, members);
        }
    }

    private static void Measure(int guildCount, int members)
    {
        ulong[] ids = new ulong[guildCount];
        for (int i = 0; i < ids.Length; i++)
        {
            ids[i] = 90_000_000_000_000_000UL + ((ulong)i << 22);
        }

        long before = GC.GetTotalMemory(forceFullCollection: true);
        var cache = new ShardCache(0, CacheOptions.All());
        cache.ApplyReady(Encoding.UTF8.GetBytes(CacheBenchmarkData.Ready(ids)), 1);
        long jsonBytes = 0;
        for (int i = 0; i < ids.Length; i++)
        {
            byte[] payload = CacheBenchmarkData.Envelope("GUILD_CREATE", i + 2, CacheBenchmarkData.Guild(ids[i], members));
            EnvelopeScanner.TryScan(payload, out Envelope env, out _);
            jsonBytes += env.DataLength;
            cache.Apply(payload, env, i + 2);
        }

        long after = GC.GetTotalMemory(forceFullCollection: true);
        CacheStats stats = cache.GetStats();
        var output = new ArrayBufferWriter<byte>();
        cache.Snapshot().TryWriteGuildCreate(ids[0], output, new GuildCreateOptions(250, true, true, CacheBenchmarkData.BotId));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"// Guild cache footprint: {guildCount} guilds x {members + 1} members: GUILD_CREATE JSON {jsonBytes / guildCount} B/guild, " +
            $"heap {(after - before) / guildCount} B/guild ({(double)(after - before) / jsonBytes:F2}x JSON), estimate {stats.ApproximateBytes / guildCount} B/guild, " +
            $"re-written GUILD_CREATE {output.WrittenCount} B"));
        GC.KeepAlive(cache);
    }
}
