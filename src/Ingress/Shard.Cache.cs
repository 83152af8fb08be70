using GatewayProxy.Cache;
using GatewayProxy.Protocol.Events;
using GatewayProxy.Protocol.Gateway;
using GatewayProxy.Ring;
using Microsoft.Extensions.Logging;

namespace GatewayProxy.Ingress;

/// <summary>
/// The cache updater: the ring's gating consumer. It applies every published dispatch to the cache in ring order, so a
/// snapshot at position p is exactly "every event up to p", and tracks readiness (READY's guilds answered).
/// </summary>
/// <remarks>A re-identify needs no separate reset: the new session's READY reaches the cache in ring order and
/// replaces its guilds (the cache rebuilds them from READY); then the new GUILD_CREATEs refill it.</remarks>
public sealed partial class Shard
{
    private const int CacheBatch = 256;

    private async Task RunCacheUpdaterAsync(CancellationToken ct)
    {
        GatingReader reader = _cacheReader;
        try
        {
            while (true)
            {
                if (!ApplyNextBatch(reader))
                {
                    await reader.WaitForDataAsync(ct).ConfigureAwait(false);
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Shutdown: the producer has stopped, so what is in the ring now is all there will be.
        }

        while (ApplyNextBatch(reader))
        {
        }
    }

    private bool ApplyNextBatch(GatingReader reader)
    {
        if (!reader.TryGetBatch(CacheBatch, out long first, out long last))
        {
            return false;
        }

        for (long seq = first; seq <= last; seq++)
        {
            ApplyToCache(seq);
        }

        reader.Advance(last);
        return true;
    }

    private void ApplyToCache(long seq)
    {
        // A gating reader: its events are never overwritten nor trimmed, so no validation.
        ReadOnlySpan<byte> payload = Ring.Read(seq, out EventMeta meta);
        EventKind kind = meta.Envelope.Kind;
        try
        {
            Cache.Apply(payload, in meta.Envelope, seq);
        }
        catch (Exception e)
        {
            // Never let one event stop the gating consumer: the producer would wait for it forever.
            IngressLog.CacheUpdateFailed(_logger, e, Id, EventKinds.ToName(kind), seq);
        }

        if (kind == EventKind.Ready)
        {
            int generation = _ready.OnReady(Cache.Snapshot().GuildIds);
            _ = GuildTimeoutAsync(generation);
        }
        else if (kind is EventKind.GuildCreate or EventKind.GuildDelete)
        {
            _ready.OnGuildAnswered(meta.GuildId);
        }
    }

    private async Task GuildTimeoutAsync(int generation)
    {
        try
        {
            await Task.Delay(_settings.GuildReadyTimeout, _stop.Token).ConfigureAwait(false);
            int missing = _ready.OnTimeout(generation);
            if (missing > 0)
            {
                IngressLog.GuildsTimedOut(_logger, Id, missing, _settings.GuildReadyTimeout);
            }
        }
        catch (OperationCanceledException)
        {
            // Shutdown.
        }
    }

    /// <summary>Publishes the cache's sizes to the <c>gateway_cache_*</c> gauges (called before each scrape).</summary>
    internal void UpdateCacheMetrics()
    {
        CacheStats stats = Cache.GetStats();
        int i = 0;
        _metrics.SetCache(i++, stats.Guilds);
        _metrics.SetCache(i++, stats.UnavailableGuilds);
        _metrics.SetCache(i++, stats.Channels);
        _metrics.SetCache(i++, stats.Threads);
        _metrics.SetCache(i++, stats.Members);
        _metrics.SetCache(i++, stats.Roles);
        _metrics.SetCache(i++, stats.Emojis);
        _metrics.SetCache(i++, stats.Stickers);
        _metrics.SetCache(i++, stats.Presences);
        _metrics.SetCache(i++, stats.VoiceStates);
        _metrics.SetCache(i++, stats.Count(CacheEntityKind.StageInstances));
        _metrics.SetCache(i++, stats.Count(CacheEntityKind.ScheduledEvents));
        _metrics.SetCache(i++, stats.Count(CacheEntityKind.SoundboardSounds));
        _metrics.SetCache(i++, stats.Users);
        _metrics.SetCache(i, stats.ApproximateBytes);
    }
}
