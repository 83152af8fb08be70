using Microsoft.Extensions.Logging;

namespace GatewayProxy.Ingress.State;

/// <summary>The state file's log lines: exactly one line per load and one per save, each naming the file and the outcome.</summary>
internal static partial class StateLog
{
    [LoggerMessage(60, LogLevel.Information, "State file {Path}: restored {Shards} shards ({Guilds} guilds, written {Age:0.0} s ago); they RESUME instead of identifying")]
    public static partial void Restored(ILogger logger, string path, int shards, int guilds, double age);

    [LoggerMessage(61, LogLevel.Information, "State file {Path}: none; every shard identifies")]
    public static partial void Missing(ILogger logger, string path);

    [LoggerMessage(62, LogLevel.Warning, "State file {Path} ignored ({Reason}: {Detail}); every shard identifies")]
    public static partial void Ignored(ILogger logger, string path, StateFileStatus reason, string detail);

    [LoggerMessage(63, LogLevel.Information, "State file {Path}: saved {Shards} of {Total} shards ({Guilds} guilds, {Bytes} bytes)")]
    public static partial void Saved(ILogger logger, string path, int shards, int total, int guilds, long bytes);

    [LoggerMessage(64, LogLevel.Error, "State file {Path}: not saved ({Error}); the next start identifies every shard")]
    public static partial void SaveFailed(ILogger logger, string path, string error);

    [LoggerMessage(65, LogLevel.Warning, "State file {Path}: loaded but could not be removed ({Error}); a crash before the next stop would reuse it until it is stale")]
    public static partial void NotRemoved(ILogger logger, string path, string error);
}
