using System.Globalization;
using System.Text;
using GatewayProxy.Protocol.Compression;
using GatewayProxy.Simulator;

namespace GatewayProxy.Perf.EndToEnd;

/// <summary>
/// Cache memory at 1k/10k/100k guilds: the proxy child connects to a Simulator with that many (small) guilds; once its
/// cache holds them all, its own estimate (<c>gateway_cache_bytes</c>) and its resident memory above an empty proxy's
/// are divided by the guild count and compared with the GUILD_CREATE JSON bytes per guild.
/// </summary>
internal static class CacheMemory
{
    private const int Shards = 4;
    private static readonly TimeSpan FillLimit = TimeSpan.FromSeconds(300);

    /// <summary>Runs the measurement for each guild count and returns a Markdown table (a failed row says why).</summary>
    public static async Task<string> RunAsync(IReadOnlyList<int> guildCounts)
    {
        var b = new StringBuilder();
        b.AppendLine("| guilds | GUILD_CREATE JSON B/guild | cache estimate B/guild | estimate ÷ JSON | proxy RSS above empty B/guild | RSS ÷ JSON |");
        b.AppendLine("|--:|--:|--:|--:|--:|--:|");
        var empty = await MeasureAsync(0).ConfigureAwait(false);
        foreach (var guilds in guildCounts)
        {
            try
            {
                var m = await MeasureAsync(guilds).ConfigureAwait(false);
                var rss = (double)(m.Rss - empty.Rss) / guilds;
                b.AppendLine(string.Create(CultureInfo.InvariantCulture,
                    $"| {guilds:N0} | {m.JsonPerGuild:N0} | {m.EstimatePerGuild:N0} | {m.EstimatePerGuild / m.JsonPerGuild:N2}× | {rss:N0} | {rss / m.JsonPerGuild:N2}× |"));
            }
            catch (Exception e) when (e is TimeoutException or InvalidOperationException or IOException or HttpRequestException or OutOfMemoryException)
            {
                b.AppendLine(string.Create(CultureInfo.InvariantCulture, $"| {guilds:N0} | FAILED: {e.Message.ReplaceLineEndings(" ")} |||||"));
            }
        }

        return b.ToString();
    }

    private static async Task<(double JsonPerGuild, double EstimatePerGuild, long Rss)> MeasureAsync(int guilds)
    {
        await using var simulator = await DiscordSimulator.StartAsync(new SimulatorOptions
        {
            ShardCount = Shards,
            GuildCount = guilds,
            MembersPerGuild = 10,
            EventsPerSecond = 0,
            IdentifyInterval = TimeSpan.Zero,
            MaxConcurrency = Shards,
            Token = RunSettings.Token,
        }).ConfigureAwait(false);
        long json = 0;
        for (var shard = 0; shard < Shards; shard++)
        {
            foreach (var guild in simulator.State.GetGuilds(shard))
            {
                json += Encoding.UTF8.GetByteCount(guild.ToJsonString());
            }
        }

        await using var proxy = await ProxyTarget.StartAsync(simulator.ApiBaseUrl, RunSettings.Token, RunSettings.Intents, TransportCompression.None, cache: true).ConfigureAwait(false);
        var deadline = DateTime.UtcNow + FillLimit;
        while (await proxy.SumMetricAsync("gateway_cache_guilds{").ConfigureAwait(false) < guilds)
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"the proxy's cache did not reach {guilds} guilds within {FillLimit}");
            }

            // Polling a child process's metrics: nothing to await instead.
            await Task.Delay(250).ConfigureAwait(false);
        }

        var estimate = await proxy.SumMetricAsync("gateway_cache_bytes{").ConfigureAwait(false);
        var perGuild = Math.Max(guilds, 1);
        return ((double)json / perGuild, estimate / perGuild, proxy.ResidentBytes());
    }
}
