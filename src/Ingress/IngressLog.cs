using Microsoft.Extensions.Logging;

namespace GatewayProxy.Ingress;

/// <summary>Every log line of the upstream side, source-generated so a disabled level costs nothing.</summary>
internal static partial class IngressLog
{
    [LoggerMessage(1, LogLevel.Information, "Starting shards [{Start}, {End}) of {Total} (max_concurrency {Concurrency}, {Remaining} identifies left)")]
    public static partial void Starting(ILogger logger, int start, int end, int total, int concurrency, int remaining);

    [LoggerMessage(2, LogLevel.Information, "Stopped {Count} shards")]
    public static partial void Stopped(ILogger logger, int count);

    [LoggerMessage(3, LogLevel.Information, "Identifying through the external identify queue at {Url} (twilight gateway-queue protocol)")]
    public static partial void ExternalQueue(ILogger logger, string url);

    [LoggerMessage(4, LogLevel.Warning, "Fetching gateway information failed (attempt {Attempt} of {Max}): {Error}; retrying in {Delay}")]
    public static partial void GatewayInfoRetry(ILogger logger, int attempt, int max, string error, TimeSpan delay);

    [LoggerMessage(5, LogLevel.Warning, "Shard {Shard}: session_start_limit exhausted; waiting {Wait} for the identify budget to reset")]
    public static partial void SessionStartLimitWait(ILogger logger, int shard, TimeSpan wait);

    [LoggerMessage(6, LogLevel.Warning, "Shard {Shard}: the identify queue at {Url} is unreachable (attempt {Attempt}): {Error}; retrying in {Delay}")]
    public static partial void IdentifyQueueUnreachable(ILogger logger, int shard, string url, int attempt, string error, TimeSpan delay);

    [LoggerMessage(7, LogLevel.Information, "Shard {Shard}: the identify queue at {Url} answered after {Attempts} attempts")]
    public static partial void IdentifyQueueRecovered(ILogger logger, int shard, string url, int attempts);

    [LoggerMessage(8, LogLevel.Warning, "Shard {Shard}: Discord refused its IDENTIFY (op 9) although the identify bucket {Bucket} was spaced {Previous}; spacing that bucket {Spacing} from now on")]
    public static partial void IdentifySpacingWidened(ILogger logger, int shard, int bucket, TimeSpan previous, TimeSpan spacing);

    [LoggerMessage(10, LogLevel.Critical, "Shard {Shard} stopped: Discord closed the connection with {Code} ({Reason}). {Advice}")]
    public static partial void FatalClose(ILogger logger, int shard, int code, string? reason, string advice);

    [LoggerMessage(11, LogLevel.Error, "Shard {Shard} failed")]
    public static partial void ShardFailed(ILogger logger, Exception exception, int shard);

    [LoggerMessage(12, LogLevel.Information, "Shard {Shard} disconnected: {End}; {Next}")]
    public static partial void Disconnected(ILogger logger, int shard, string end, string next);

    [LoggerMessage(13, LogLevel.Warning, "Shard {Shard} lost its session: {End}; identifying again")]
    public static partial void SessionLost(ILogger logger, int shard, string end);

    [LoggerMessage(14, LogLevel.Warning, "Shard {Shard}: cannot connect to {Url}: {Error}")]
    public static partial void ConnectFailed(ILogger logger, int shard, Uri url, string error);

    [LoggerMessage(20, LogLevel.Information, "Shard {Shard}: Discord asked to reconnect (op 7)")]
    public static partial void ReconnectRequested(ILogger logger, int shard);

    [LoggerMessage(21, LogLevel.Warning, "Shard {Shard}: invalid session (op 9, resumable: {Resumable})")]
    public static partial void InvalidSession(ILogger logger, int shard, bool resumable);

    [LoggerMessage(22, LogLevel.Information, "Shard {Shard}: resuming session {Session} at sequence {Seq}")]
    public static partial void Resuming(ILogger logger, int shard, string session, long seq);

    [LoggerMessage(23, LogLevel.Information, "Shard {Shard}: IDENTIFY sent")]
    public static partial void IdentifySent(ILogger logger, int shard);

    [LoggerMessage(24, LogLevel.Error, "Shard {Shard}: identify failed")]
    public static partial void IdentifyFailed(ILogger logger, Exception exception, int shard);

    [LoggerMessage(25, LogLevel.Information, "Shard {Shard}: resumed at sequence {Seq}")]
    public static partial void Resumed(ILogger logger, int shard, long seq);

    [LoggerMessage(26, LogLevel.Warning, "Shard {Shard}: READY without a session_id; the next disconnect will identify again")]
    public static partial void ReadyWithoutSession(ILogger logger, int shard);

    [LoggerMessage(27, LogLevel.Information, "Shard {Shard}: READY, session {Session}")]
    public static partial void Ready(ILogger logger, int shard, string session);

    [LoggerMessage(28, LogLevel.Warning, "Shard {Shard}: no heartbeat ACK within {Interval}; the connection is a zombie, resuming")]
    public static partial void Zombie(ILogger logger, int shard, TimeSpan interval);

    [LoggerMessage(29, LogLevel.Warning, "Shard {Shard}: no HELLO within {Timeout}")]
    public static partial void NoHello(ILogger logger, int shard, TimeSpan timeout);

    [LoggerMessage(30, LogLevel.Warning, "Shard {Shard}: ignored an upstream payload of {Length} bytes that is not a gateway envelope ({Error})")]
    public static partial void BadPayload(ILogger logger, int shard, int length, string error);

    [LoggerMessage(40, LogLevel.Error, "Shard {Shard}: cache update failed for {Kind} at {Seq}")]
    public static partial void CacheUpdateFailed(ILogger logger, Exception exception, int shard, string kind, long seq);

    [LoggerMessage(41, LogLevel.Warning, "Shard {Shard}: {Missing} READY guilds still unavailable after {Timeout}; ready without them")]
    public static partial void GuildsTimedOut(ILogger logger, int shard, int missing, TimeSpan timeout);
}
