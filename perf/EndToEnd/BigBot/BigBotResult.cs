using GatewayProxy.Simulator.Data;

namespace GatewayProxy.Perf.EndToEnd.BigBot;

/// <summary>Everything one big-bot run measured (bytes, seconds); <see cref="Error"/> set when it failed.</summary>
internal sealed class BigBotResult
{
    /// <summary>Shards of the run.</summary>
    public required int Shards { get; init; }

    /// <summary>Guilds of the run.</summary>
    public required int Guilds { get; init; }

    /// <summary>The first correctness failure or the reason the run could not finish; null when it passed.</summary>
    public string? Error { get; set; }

    /// <summary>The phase the run was in when it stopped (for a failure).</summary>
    public string Phase { get; set; } = "start";

    /// <summary>Guilds and members per part of the size mix.</summary>
    public IReadOnlyDictionary<GuildSize, (int Guilds, long Members)> Mix { get; set; } = new Dictionary<GuildSize, (int, long)>();

    /// <summary>GUILD_CREATEs the Simulator sent up to ready, and their <c>d</c> bytes.</summary>
    public long GuildCreates { get; set; }

    /// <summary>See <see cref="GuildCreates"/>.</summary>
    public long GuildCreateBytes { get; set; }

    /// <summary>Proxy start to /health 200.</summary>
    public double ReadySeconds { get; set; }

    /// <summary>The identify floor of this shard count.</summary>
    public double FloorSeconds { get; set; }

    /// <summary>Proxy CPU seconds used up to ready.</summary>
    public double ReadyCpuSeconds { get; set; }

    /// <summary>Lines the proxy printed up to ready.</summary>
    public long ReadyLogLines { get; set; }

    /// <summary>Upstream reconnections (gateway_upstream_reconnects_total) up to ready.</summary>
    public long ReadyReconnects { get; set; }

    /// <summary>Clients connected (one per shard) and their total READY + GUILD_CREATE time.</summary>
    public double ClientsSeconds { get; set; }

    /// <summary>Upstream live events sent in the window, the window's length, bursts in it.</summary>
    public long WindowEvents { get; set; }

    /// <summary>See <see cref="WindowEvents"/>.</summary>
    public double WindowSeconds { get; set; }

    /// <summary>See <see cref="WindowEvents"/>.</summary>
    public long WindowBursts { get; set; }

    /// <summary>Proxy CPU seconds in the window.</summary>
    public double WindowCpuSeconds { get; set; }

    /// <summary>Proxy bytes allocated in the window.</summary>
    public long WindowAllocated { get; set; }

    /// <summary>GC in the window: pauses, total and longest pause, gen2 collections, heap after each gen2 (bytes).</summary>
    public string GcLine { get; set; } = "";

    /// <summary>See <see cref="GcLine"/>.</summary>
    public int GcPauses { get; set; }

    /// <summary>See <see cref="GcLine"/>.</summary>
    public double GcTotalMs { get; set; }

    /// <summary>See <see cref="GcLine"/>.</summary>
    public double GcMaxMs { get; set; }

    /// <summary>See <see cref="GcLine"/>.</summary>
    public int Gen2 { get; set; }

    /// <summary>RSS at ready (no clients yet), after the window, after a forced full GC.</summary>
    public long RssReady { get; set; }

    /// <summary>See <see cref="RssReady"/>.</summary>
    public long Rss { get; set; }

    /// <summary>See <see cref="RssReady"/>.</summary>
    public long RssAfterGc { get; set; }

    /// <summary>Managed heap (live and garbage) after the window, and after the forced GC.</summary>
    public long Heap { get; set; }

    /// <summary>See <see cref="Heap"/>.</summary>
    public long HeapAfterGc { get; set; }

    /// <summary>The cache's own estimate (gateway_cache_bytes) and guild count.</summary>
    public long CacheBytes { get; set; }

    /// <summary>See <see cref="CacheBytes"/>.</summary>
    public long CacheGuilds { get; set; }

    /// <summary>Preallocated ring slot buffers: shards × ring_size × inline slot capacity (computed).</summary>
    public long RingBytes { get; set; }

    /// <summary>Native compression contexts of clients (gateway_zlib_native_bytes).</summary>
    public long ClientCompressionBytes { get; set; }

    /// <summary>RSS of an idle one-shard proxy less its ring: the runtime's own baseline.</summary>
    public long RuntimeBaseline { get; set; }

    /// <summary>Churn: actions, resumes, failed actions, and RSS and descriptors sampled each second (first, max, last).</summary>
    public long ChurnActions { get; set; }

    /// <summary>See <see cref="ChurnActions"/>.</summary>
    public long ChurnResumes { get; set; }

    /// <summary>See <see cref="ChurnActions"/>.</summary>
    public long ChurnFailures { get; set; }

    /// <summary>See <see cref="ChurnActions"/>.</summary>
    public (long First, long Max, long Last) ChurnRss { get; set; }

    /// <summary>See <see cref="ChurnActions"/>.</summary>
    public (int First, int Max, int Last) ChurnFds { get; set; }

    /// <summary>Events the verifying clients checked byte for byte, and the clients that checked order only.</summary>
    public long VerifiedEvents { get; set; }

    /// <summary>See <see cref="VerifiedEvents"/>.</summary>
    public long OrderCheckedEvents { get; set; }

    /// <summary>The driver's own peak RSS (Simulator, clients) by the end of the run.</summary>
    public long DriverPeakRss { get; set; }

    /// <summary>Mean GUILD_CREATE <c>d</c> bytes as the proxy received them.</summary>
    public double JsonPerGuild => GuildCreates == 0 ? 0 : (double)GuildCreateBytes / GuildCreates;
}
