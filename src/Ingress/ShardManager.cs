using GatewayProxy.Ring.Memory;
using System.Net.Http;
using GatewayProxy.Ingress.Connection;
using GatewayProxy.Ingress.Identify;
using GatewayProxy.Ingress.Metrics;
using GatewayProxy.Ingress.Rest;
using GatewayProxy.Ingress.Shards;
using GatewayProxy.Ingress.State;
using GatewayProxy.Shards;
using Microsoft.Extensions.Logging;

namespace GatewayProxy.Ingress;

/// <summary>Holds every upstream shard of this process's range: fetches the gateway information, creates each shard's ring and cache, and connects them all through the identify queue.</summary>
public sealed partial class ShardManager : IAsyncDisposable, IShardDirectory
{
    private readonly Shard[] _shards;
    private readonly IngressMetrics _metrics;
    private readonly ILogger _logger;
    private readonly IIdentifyQueue _identifyQueue;
    private int _stopped;
    private string? _stateFile;
    private IngressOptions _options = null!;
    private bool _ownsQueue = true;

    private ShardManager(Shard[] shards, int totalShards, int shardStart, int shardEnd, GatewayBotInfo gateway, IngressMetrics metrics, ILogger logger, IIdentifyQueue identifyQueue)
    {
        _identifyQueue = identifyQueue;
        _shards = shards;
        TotalShards = totalShards;
        ShardStart = shardStart;
        ShardEnd = shardEnd;
        Gateway = gateway;
        _metrics = metrics;
        _logger = logger;
    }

    /// <summary>The bot's total shard count (IDENTIFY's <c>shard[1]</c>).</summary>
    public int TotalShards { get; }

    /// <summary>First shard this process owns.</summary>
    public int ShardStart { get; }

    /// <summary>One past the last shard this process owns.</summary>
    public int ShardEnd { get; }

    /// <summary>What <c>/gateway/bot</c> answered.</summary>
    public GatewayBotInfo Gateway { get; }

    /// <summary>The queue every shard of this process identifies through (in-process, or the external one).</summary>
    public IIdentifyQueue IdentifyQueue => _identifyQueue;

    /// <summary>The shards of [<see cref="ShardStart"/>, <see cref="ShardEnd"/>), in id order.</summary>
    public IReadOnlyList<Shard> Shards => _shards;

    /// <summary>What the rings of these shards hold together, and their trim timer.</summary>
    public RingMemory RingMemory { get; private init; } = null!;

    /// <summary>The shard with <paramref name="id"/>, or null outside this process's range.</summary>
    public Shard? GetShard(int id) => id >= ShardStart && id < ShardEnd ? _shards[id - ShardStart] : null;

    /// <inheritdoc />
    IShardFeed? IShardDirectory.GetShard(int shardId) => GetShard(shardId);

    /// <summary>Fetches <c>/gateway/bot</c>, creates every shard's ring and cache, and starts connecting them; returns once started (not ready).</summary>
    /// <exception cref="GatewayInfoException">The gateway information could not be fetched (the message says why).</exception>
    /// <exception cref="ArgumentException">The options are invalid or the shard range does not fit the shard count.</exception>
    public static async Task<ShardManager> StartAsync(IngressOptions options, ILogger logger, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(logger);
        options.Validate();
        GatewayBotInfo gateway = await FetchGatewayAsync(options, logger, ct).ConfigureAwait(false);
        int total = options.ShardCount ?? gateway.Shards;
        int start = options.ShardStart;
        int end = options.ShardEnd ?? total;
        if (end > total || start >= end)
        {
            throw new ArgumentException($"The shard range [{start}, {end}) does not fit the shard count {total}: check shard_start, shard_end and shards.", nameof(options));
        }

        IIdentifyQueue queue = CreateIdentifyQueue(options, gateway, logger);
        Dictionary<int, SavedShard>? restored = options.StateFile is { } stateFile ? LoadState(stateFile, options.StateMaxAge, total, start, end, logger) : null;
        return Create(options, gateway, total, start, end, queue, restored, logger);
    }

    private static ShardManager Create(IngressOptions options, GatewayBotInfo gateway, int total, int start, int end, IIdentifyQueue queue,
        Dictionary<int, SavedShard>? restored, ILogger logger)
    {
        var metrics = new IngressMetrics(options.Metrics);
        var settings = new ShardSettings(
            options.Token,
            options.Intents,
            total,
            options.GatewayUrlOverride ?? gateway.Url,
            options.Compression,
            new PresenceSettings(options.Status, options.ActivityType, options.ActivityName),
            queue,
            new UpstreamTransport { CertificateValidation = options.CertificateValidation },
            metrics,
            logger,
            options.ReidentifyDelay,
            options.MaxReconnectDelay,
            options.GuildReadyTimeout);
        var shards = new Shard[end - start];
        // One budget, one trim timer and one segment pool for every ring of the process (docs/architecture.md, "Ring memory").
        var ringMemory = new RingMemory(options.RingMemoryLimit, options.RingRetention, options.Time)
        {
            AgeFollowsSessions = options.RingRetentionFollowsSessions,
        };
        for (int id = start; id < end; id++)
        {
            ShardResumeState? resume = options.ResumeStates is not null && options.ResumeStates.TryGetValue(id, out ShardResumeState? saved) ? saved : null;
            SavedShard? savedShard = null;
            if (resume is null && restored is not null && restored.TryGetValue(id, out savedShard))
            {
                resume = Shard.ResumeStateOf(savedShard);
            }

            shards[id - start] = new Shard(id, settings, options.RingSizeFor(id), options.Cache, ringMemory) { InitialResume = resume };
            if (savedShard is not null)
            {
                shards[id - start].Cache.Restore(savedShard.Cache);
            }
        }

        var manager = new ShardManager(shards, total, start, end, gateway, metrics, logger, queue) { _stateFile = options.StateFile, RingMemory = ringMemory, _options = options };
        metrics.Registry.AddBeforeCollectCallback(manager.UpdateMetrics);
        IngressLog.Starting(logger, start, end, total, gateway.SessionStartLimit.MaxConcurrency, gateway.SessionStartLimit.Remaining);
        foreach (Shard shard in shards)
        {
            shard.Start();
        }

        return manager;
    }

    /// <summary>Closes every upstream connection with a resumable code (4900) so Discord keeps the sessions, stops the shards, and writes the state file when one is configured.</summary>
    public Task StopAsync(CancellationToken ct) => StopAsync(endSessions: false, ct);

    /// <summary>As <see cref="StopAsync(CancellationToken)"/>, but every upstream connection is closed with 1000, so Discord ends
    /// the sessions (a shard set replaced by a reshard), and no state file is written.</summary>
    public Task EndSessionsAsync(CancellationToken ct) => StopAsync(endSessions: true, ct);

    private async Task StopAsync(bool endSessions, CancellationToken ct)
    {
        if (Interlocked.Exchange(ref _stopped, 1) != 0)
        {
            return;
        }

        var stops = new Task[_shards.Length];
        for (int i = 0; i < _shards.Length; i++)
        {
            stops[i] = _shards[i].StopAsync(endSessions, ct);
        }

        await Task.WhenAll(stops).ConfigureAwait(false);
        if (_ownsQueue)
        {
            (_identifyQueue as IDisposable)?.Dispose();
        }

        // The rings stay readable (not trimmed by age any more); they go with the shards.
        RingMemory.Dispose();
        IngressLog.Stopped(_logger, _shards.Length);
        if (_stateFile is not null && !endSessions)
        {
            SaveState(_stateFile);
        }
    }

    /// <summary>Stops every shard.</summary>
    public async ValueTask DisposeAsync() => await StopAsync(CancellationToken.None).ConfigureAwait(false);

    private static async Task<GatewayBotInfo> FetchGatewayAsync(IngressOptions options, ILogger logger, CancellationToken ct)
    {
        using var handler = new SocketsHttpHandler();
        if (options.CertificateValidation is not null)
        {
            handler.SslOptions.RemoteCertificateValidationCallback = options.CertificateValidation;
        }

        using var http = new HttpClient(handler, disposeHandler: false) { Timeout = TimeSpan.FromSeconds(30) };
        var client = new GatewayInfoClient(http, options.ApiBaseUrl, options.Token, logger)
        {
            MaxAttempts = options.RestMaxAttempts,
            RetryBaseDelay = options.RestRetryDelay,
        };
        return await client.GetGatewayBotAsync(ct).ConfigureAwait(false);
    }

    /// <summary>The external queue when <c>identify_queue_url</c> is set (shared with other processes), else the in-process one.</summary>
    private static IIdentifyQueue CreateIdentifyQueue(IngressOptions options, GatewayBotInfo gateway, ILogger logger)
    {
        if (options.IdentifyQueueUrl is { } url)
        {
            var external = new HttpIdentifyQueue(url, logger);
            IngressLog.ExternalQueue(logger, external.DisplayUrl);
            return external;
        }

        return new IdentifyQueue(gateway.SessionStartLimit, options.IdentifyInterval, options.IdentifyMargin, options.IdentifyClock, logger);
    }

    private void UpdateMetrics()
    {
        // A replaced set's shards share ids (and metric labels) with the set serving now.
        if (Volatile.Read(ref _stopped) != 0)
        {
            return;
        }

        foreach (Shard shard in _shards)
        {
            shard.UpdateCacheMetrics();
            // Again at every scrape: a reshard's replaced set, stopping, set the same shard ids' status to stopped.
            shard.PublishStatus();
        }
    }
}
