using GatewayProxy.Shards;
using System.Collections.Concurrent;
using GatewayProxy.Egress.Clients;
using GatewayProxy.Egress.Metrics;
using GatewayProxy.Egress.Relay;
using GatewayProxy.Egress.Routing;
using GatewayProxy.Egress.Sessions;
using Microsoft.Extensions.Logging;

namespace GatewayProxy.Egress.Server;

/// <summary>What every client connection of one server shares.</summary>
internal sealed class EgressContext(EgressOptions options, IShardDirectory shards, ILogger logger, EgressMetrics metrics, EgressWorker[] workers, string resumeUrl,
    MemoryGuard memory)
{
    private readonly ConcurrentDictionary<int, SoundboardRouter> _routers = new();
    private readonly ConcurrentDictionary<int, VoiceRouter> _voiceRouters = new();

    public EgressOptions Options { get; } = options;

    private ShardSet _set = new(shards, 0);
    private ReshardProgress? _reshard;

    /// <summary>The shard set new sessions are served from.</summary>
    public IShardDirectory Shards => Volatile.Read(ref _set).Directory;

    /// <summary>The shard set new sessions are served from, with its generation (read once so the two agree).</summary>
    public ShardSet CurrentSet => Volatile.Read(ref _set);

    /// <summary>Bumped by every switch to a new shard set; a session of an older one cannot be resumed.</summary>
    public int Generation => Volatile.Read(ref _set).Generation;

    /// <summary>The reshard in progress, or null (shown by /health).</summary>
    public ReshardProgress? Reshard
    {
        get => Volatile.Read(ref _reshard);
        set => Volatile.Write(ref _reshard, value);
    }

    /// <summary>Serves new sessions from <paramref name="next"/>; returns the new generation.</summary>
    public int SwitchTo(IShardDirectory next)
    {
        var set = new ShardSet(next, Volatile.Read(ref _set).Generation + 1);
        Interlocked.Exchange(ref _set, set);
        return set.Generation;
    }

    public ILogger Logger { get; } = logger;

    public EgressMetrics Metrics { get; } = metrics;

    public EgressWorker[] Workers { get; } = workers;

    /// <summary>READY's resume_gateway_url.</summary>
    public string ResumeUrl { get; } = resumeUrl;

    public SessionRegistry Sessions { get; } = new();

    /// <summary>The GC heap against the memory limit: whether new clients are refused.</summary>
    public MemoryGuard Memory { get; } = memory;

    /// <summary>Live WebSocket connections.</summary>
    public ConcurrentDictionary<ClientConnection, byte> Connections { get; } = new();

    /// <summary>1.5 heartbeat intervals plus the grace: how long a client may stay silent.</summary>
    public long HeartbeatTimeoutMs => (long)(Options.HeartbeatIntervalMs * 1.5) + (long)Options.HeartbeatGrace.TotalMilliseconds;

    /// <summary>The soundboard reply router of a shard.</summary>
    public SoundboardRouter RouterFor(int shardId) => _routers.GetOrAdd(shardId, static _ => new SoundboardRouter());

    /// <summary>The voice reply router of a shard.</summary>
    public VoiceRouter VoiceRouterFor(int shardId) => _voiceRouters.GetOrAdd(shardId, static (_, sessions) => new VoiceRouter(sessions), Sessions);

    /// <summary>The worker with the fewest clients.</summary>
    public EgressWorker PickWorker()
    {
        EgressWorker best = Workers[0];
        for (int i = 1; i < Workers.Length; i++)
        {
            if (Workers[i].ClientCount < best.ClientCount) best = Workers[i];
        }

        return best;
    }
}

/// <summary>A shard directory and the generation it was switched in at.</summary>
internal sealed record ShardSet(IShardDirectory Directory, int Generation);
