using System.Net;
using GatewayProxy.Egress.Metrics;
using Microsoft.Extensions.Logging;

namespace GatewayProxy.Egress.Server;

/// <summary>Egress's log lines, source-generated (no boxing or formatting when the level is off).</summary>
internal static partial class EgressLog
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "Gateway proxy listening on {EndPoint} for shards {Start}..{End} of {Total}; clients resume at {ResumeUrl}")]
    public static partial void Listening(ILogger logger, IPEndPoint endPoint, int start, int end, int total, string resumeUrl);

    [LoggerMessage(EventId = 2, Level = LogLevel.Warning, Message = "{Count} client connections did not finish closing in time")]
    public static partial void SlowShutdown(ILogger logger, int count);

    [LoggerMessage(EventId = 23, Level = LogLevel.Information, Message = "Shutdown: a client of shard {Shard} was already closing ({Reason}), so it gets no 1012")]
    public static partial void ClosingAtShutdown(ILogger logger, int shard, ClientDisconnectReason reason);

    [LoggerMessage(EventId = 3, Level = LogLevel.Warning, Message = "Accept failed: {Error}")]
    public static partial void AcceptFailed(ILogger logger, System.Net.Sockets.SocketError error);

    [LoggerMessage(EventId = 4, Level = LogLevel.Error, Message = "A client connection failed")]
    public static partial void ConnectionFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 5, Level = LogLevel.Error, Message = "Egress maintenance failed")]
    public static partial void MaintenanceFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 6, Level = LogLevel.Information, Message = "{Count} detached client sessions expired")]
    public static partial void SessionsExpired(ILogger logger, int count);

    [LoggerMessage(EventId = 7, Level = LogLevel.Error, Message = "Egress worker {Worker} failed a pass")]
    public static partial void WorkerFailed(ILogger logger, Exception exception, int worker);

    [LoggerMessage(EventId = 8, Level = LogLevel.Warning, Message = "Egress worker {Worker} skipped ring event {Seq}: no sequence to rewrite")]
    public static partial void Unspliceable(ILogger logger, int worker, long seq);

    [LoggerMessage(EventId = 9, Level = LogLevel.Information, Message = "Closing a client of shard {Shard} with {Code}: {Reason}")]
    public static partial void ClosingClient(ILogger logger, int shard, ushort code, string reason);

    [LoggerMessage(EventId = 10, Level = LogLevel.Warning, Message = "Dropped op {Op} from a client of shard {Shard}: {Reason}")]
    public static partial void CommandDropped(ILogger logger, int op, int shard, string? reason);

    [LoggerMessage(EventId = 11, Level = LogLevel.Error, Message = "Starting a session for shard {Shard} failed")]
    public static partial void StartFailed(ILogger logger, Exception exception, int shard);

    [LoggerMessage(EventId = 12, Level = LogLevel.Information, Message = "TLS certificate {Thumbprint} (valid until {NotAfter:u}) loaded from {CertFile}")]
    public static partial void TlsLoaded(ILogger logger, string thumbprint, DateTime notAfter, string certFile);

    [LoggerMessage(EventId = 13, Level = LogLevel.Information, Message = "TLS certificate reloaded: now serving {Thumbprint} (valid until {NotAfter:u}) instead of {Previous}")]
    public static partial void TlsReloaded(ILogger logger, string thumbprint, DateTime notAfter, string previous);

    [LoggerMessage(EventId = 14, Level = LogLevel.Warning, Message = "TLS certificate reload failed, still serving {Current}: {Error}")]
    public static partial void TlsReloadFailed(ILogger logger, string error, string current);

    [LoggerMessage(EventId = 15, Level = LogLevel.Warning, Message = "Cannot watch {Directory} for certificate changes ({Reason}); they are still picked up by the periodic check")]
    public static partial void TlsWatchFailed(ILogger logger, string directory, string reason);

    [LoggerMessage(EventId = 16, Level = LogLevel.Debug, Message = "TLS handshake with {Address} failed: {Reason}")]
    public static partial void TlsHandshakeFailed(ILogger logger, IPAddress address, string reason);

    [LoggerMessage(EventId = 17, Level = LogLevel.Warning, Message = "Low on memory: the GC heap is {Heap} of the {Limit} memory limit ({Percent}); new clients are refused with HTTP 503 until it is below {Resume}")]
    public static partial void LowMemoryRefusing(ILogger logger, string heap, string limit, string percent, string resume);

    [LoggerMessage(EventId = 18, Level = LogLevel.Warning, Message = "Low on memory: the GC heap is {Heap} of the {Limit} memory limit ({Percent}) after a full collection; cutting the clients with the largest unsent backlogs (4000 \"the proxy is low on memory\"); upstream shards are not affected")]
    public static partial void LowMemoryShedding(ILogger logger, string heap, string limit, string percent);

    [LoggerMessage(EventId = 19, Level = LogLevel.Warning, Message = "Low on memory: the GC heap is {Heap} of the {Limit} memory limit ({Percent}); cut {Count} clients holding {Freed} of unsent output, the largest of {Candidates} with a backlog, with 4000 \"the proxy is low on memory\"")]
    public static partial void LowMemoryCut(ILogger logger, string heap, string limit, string percent, int count, string freed, int candidates);

    [LoggerMessage(EventId = 20, Level = LogLevel.Warning, Message = "Low on memory: the GC heap is {Heap} of the {Limit} memory limit ({Percent}) but none of the {Clients} clients has a backlog worth cutting: the heap is held by the cache, the rings and the sessions (see gateway_ring_memory_bytes, gateway_cache_*); new clients stay refused")]
    public static partial void LowMemoryNothingToCut(ILogger logger, string heap, string limit, string percent, int clients);

    [LoggerMessage(EventId = 21, Level = LogLevel.Information, Message = "Memory recovered: the GC heap is {Heap} of the {Limit} memory limit ({Percent}); new clients are accepted again")]
    public static partial void MemoryRecovered(ILogger logger, string heap, string limit, string percent);

    [LoggerMessage(EventId = 22, Level = LogLevel.Information, Message = "Memory guard: limit {LimitMib:F1} MiB; new clients are refused from {RefuseMib:F1} MiB, the clients with the largest unsent backlogs are cut from {ShedMib:F1} MiB")]
    public static partial void MemoryGuardStarted(ILogger logger, double limitMib, double refuseMib, double shedMib);
}
