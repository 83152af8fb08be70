namespace GatewayProxy.Perf.EndToEnd;

/// <summary>Cache memory at 1k/10k/100k guilds (filled in below).</summary>
internal static class CacheMemory
{
    /// <summary>Runs the cache memory measurement and returns its table.</summary>
    public static Task<string> RunAsync() => Task.FromResult("");
}
