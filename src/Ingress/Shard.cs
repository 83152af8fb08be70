using GatewayProxy.Protocol.Gateway;
using GatewayProxy.Cache;
using GatewayProxy.Ingress.Connection;
using GatewayProxy.Ingress.Metrics;
using GatewayProxy.Ingress.Shards;
using GatewayProxy.Protocol.Compression;
using GatewayProxy.Protocol.Events;
using GatewayProxy.Ring;
using GatewayProxy.Ring.Memory;
using GatewayProxy.Shards;
using Microsoft.Extensions.Logging;

namespace GatewayProxy.Ingress;

/// <summary>
/// One upstream shard: keeps its Discord session alive (identify, heartbeat, resume), decodes every dispatch straight
/// into the next slot of its ring, and feeds its guild cache from that ring.
/// </summary>
/// <remarks>
/// Split by concern: <c>Shard.Run.cs</c> (connection lifecycle and recovery), <c>Shard.Receive.cs</c> (the hot
/// read/decode/publish path), <c>Shard.Session.cs</c> (HELLO, READY, op 7/9, heartbeats), <c>Shard.Commands.cs</c>
/// (client commands upstream), <c>Shard.Cache.cs</c> (the cache updater, a gating ring consumer); the per-event work
/// itself is <see cref="UpstreamReceiver"/>.
/// <para>Choices: every upstream dispatch is published, READY and RESUMED included, so the cache sees a session's READY
/// before its GUILD_CREATEs in ring order (Egress never relays upstream READY/RESUMED). After a re-identify (op 9 false,
/// <see cref="GatewayCloseCode.InvalidSeq"/>/<see cref="GatewayCloseCode.SessionTimedOut"/>) the new READY resets the cache's guilds and the new GUILD_CREATEs refill it; clients connected across it
/// keep their sessions and receive those GUILD_CREATEs as live dispatches, as they would from Discord.</para>
/// </remarks>
public sealed partial class Shard : IShardFeed
{
    /// <summary>The close code the proxy sends when it means to resume (anything but 1000/1001 keeps the session).</summary>
    public const ushort ResumableCloseCode = 4900;

    /// <summary>The close code that ends the session at Discord (a shard set replaced by a reshard).</summary>
    public const ushort NormalCloseCode = 1000;

    private readonly ShardSettings _settings;
    private readonly ILogger _logger;
    private readonly ShardMetrics _metrics;
    private readonly ReadyTracker _ready = new();
    private readonly CommandRateLimiter _limiter = new();
    private readonly GatingReader _cacheReader;
    private readonly UpstreamReceiver _receiver;
    private readonly CancellationTokenSource _stop = new();
    private readonly CancellationTokenSource _drain = new();
    private ConnectionContext? _current;
    private Task _runTask = Task.CompletedTask;
    private Task _cacheTask = Task.CompletedTask;
    private string? _sessionId;
    private Uri? _resumeUrl;
    private volatile ShardState _state = ShardState.Disconnected;
    private volatile string? _stopReason;
    private volatile bool _stopping;
    private bool _resumableAtStop;
    private double? _lastLatencyMs;

    internal Shard(int id, ShardSettings settings, int ringSize, CacheOptions cacheOptions, RingMemory ringMemory)
    {
        Id = id;
        _settings = settings;
        _logger = settings.Logger;
        _metrics = settings.Metrics.ForShard(id, TransportCompressions.ToName(settings.Compression));
        Ring = new PayloadRing<EventMeta>(ringSize, ringMemory);
        _receiver = new UpstreamReceiver(Ring, settings.MaxMessageSize, _metrics);
        Cache = new ShardCache(id, cacheOptions);
        _cacheReader = Ring.AddGatingReader(-1);
        _metrics.SetStatus((int)ShardState.Disconnected);
    }

    /// <summary>The shard id.</summary>
    public int Id { get; }

    /// <inheritdoc />
    public int ShardId => Id;

    /// <summary>The bot's total shard count (IDENTIFY's <c>shard[1]</c>).</summary>
    public int TotalShards => _settings.TotalShards;

    /// <summary>Every dispatch of this shard, in upstream order (READY and RESUMED included; Egress never relays those).</summary>
    public PayloadRing<EventMeta> Ring { get; }

    /// <summary>The shard's guild cache, fed from <see cref="Ring"/> by the cache updater.</summary>
    public ShardCache Cache { get; }

    /// <summary>True when READY was applied to the cache and every READY guild was answered (or the guild timeout passed).</summary>
    public bool IsReady => _ready.IsReady;

    /// <summary>Completes when <see cref="IsReady"/> (again, after a re-identify).</summary>
    public Task WaitReadyAsync(CancellationToken ct) => _ready.WaitAsync(ct);

    /// <summary>An immutable view of the cache as of the last ring position it applied.</summary>
    public IShardSnapshot TakeSnapshot() => Cache.Snapshot();

    /// <summary>The connection state.</summary>
    public ShardState State => _state;

    /// <summary>"ready", "connecting", "identifying", "resuming", "disconnected", or "stopped: &lt;why&gt;".</summary>
    public string Status => _state switch
    {
        ShardState.Connected => "ready",
        ShardState.Connecting => "connecting",
        ShardState.Identifying => "identifying",
        ShardState.Resuming => "resuming",
        ShardState.Disconnected => "disconnected",
        _ => "stopped: " + (_stopReason ?? "shut down"),
    };

    /// <summary>Why the shard stopped (a fatal close code explains what to fix); null while running.</summary>
    public string? StopReason => _stopReason;

    /// <summary>The last heartbeat round trip in milliseconds (null before the first ACK).</summary>
    public double? LatencyMs => Volatile.Read(ref _current)?.Heartbeat?.Latency?.TotalMilliseconds ?? _lastLatencyMs;

    /// <summary>The upstream session id (null before READY and while re-identifying).</summary>
    public string? SessionId => Volatile.Read(ref _sessionId);

    /// <summary>The last upstream sequence received (and published) in the current session.</summary>
    public long UpstreamSequence => _receiver.LastSequence;

    /// <summary>READY's <c>resume_gateway_url</c> (null before READY).</summary>
    public string? ResumeUrl => Volatile.Read(ref _resumeUrl)?.OriginalString;

    /// <summary>Start by RESUMing this saved session instead of identifying.</summary>
    public ShardResumeState? InitialResume { get; init; }

    /// <summary>READY guilds the cache still waits for.</summary>
    public int PendingGuilds => _ready.PendingGuilds;

    /// <summary>Starts the connection loop and the cache updater.</summary>
    internal void Start()
    {
        if (InitialResume is { } saved)
        {
            // Before the loops start, so the shard is ready (and its restored cache served) as soon as Start returns.
            _sessionId = saved.SessionId;
            _receiver.LastSequence = saved.Sequence;
            _resumeUrl = saved.ResumeUrl;
            _ready.MarkReady();
        }

        CancellationToken ct = _stop.Token;
        CancellationToken drain = _drain.Token;
        _cacheTask = Task.Run(() => RunCacheUpdaterAsync(drain), CancellationToken.None);
        _runTask = Task.Run(() => RunAsync(ct), CancellationToken.None);
    }

    /// <summary>Closes the upstream connection with <see cref="ResumableCloseCode"/> (Discord keeps the session resumable), or
    /// with 1000 when <paramref name="endSession"/> (Discord ends the session: a replaced shard set), and stops.</summary>
    /// <remarks>The cache applies every event published before it stops, so <see cref="CaptureState"/> pairs the cache with the last sequence exactly.</remarks>
    internal async Task StopAsync(bool endSession, CancellationToken ct)
    {
        // A shard stopped by a fatal close, or whose session is ended on purpose, has no session worth saving.
        _resumableAtStop = _state != ShardState.Stopped && !endSession;
        _stopping = true;
        ConnectionContext? ctx = Volatile.Read(ref _current);
        try
        {
            if (ctx is not null)
            {
                // Connected: close with a resumable code and give Discord a moment to close its side.
                ctx.End(new ConnectionEnd(UpstreamEndReason.Stopping), endSession ? NormalCloseCode : ResumableCloseCode);
                await _runTask.WaitAsync(_settings.CloseTimeout, ct).ConfigureAwait(false);
            }
        }
        catch (TimeoutException)
        {
            // Discord did not close its side in time: tear it down.
        }
        catch (OperationCanceledException)
        {
            // The caller is in a hurry.
        }

        await _stop.CancelAsync().ConfigureAwait(false);
        try
        {
            await _runTask.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Expected on shutdown.
        }

        // The producer is done: the cache updater applies what is left in the ring, then ends.
        await _drain.CancelAsync().ConfigureAwait(false);
        try
        {
            await _cacheTask.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Expected on shutdown.
        }

        _cacheReader.Dispose();
        _receiver.Dispose();
        if (_state != ShardState.Stopped)
        {
            Stop("shut down");
        }
    }

    /// <summary>Sets <c>gateway_shard_status</c> to the current state.</summary>
    internal void PublishStatus() => _metrics.SetStatus((int)_state);

    private void SetState(ShardState state)
    {
        if (_state == ShardState.Stopped)
        {
            return;
        }

        _state = state;
        _metrics.SetStatus((int)state);
    }

    private void Stop(string reason)
    {
        _stopReason = reason;
        _state = ShardState.Stopped;
        _metrics.SetStatus((int)ShardState.Stopped);
    }
}
