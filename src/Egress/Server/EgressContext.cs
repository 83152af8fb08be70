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

    public IShardDirectory Shards { get; } = shards;

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
