using Microsoft.Extensions.Logging;

namespace GatewayProxy.Host.Logging;

/// <summary>Bridges <see cref="ILogger"/> (what Ingress and Egress log through) to <see cref="ProxyLog"/>.</summary>
/// <remarks>A shard number passed as the state's "Shard" value becomes the line's <c>[shard N]</c> tag;
/// level filtering is <see cref="ProxyLog"/>'s, so a hot-reloaded <c>log_level</c> applies at once.</remarks>
public sealed class ProxyLogger : ILogger
{
    private readonly ProxyLog _log;
    private readonly string? _category;

    /// <summary>A logger writing to <paramref name="log"/>, prefixing lines with <paramref name="category"/> when given.</summary>
    public ProxyLogger(ProxyLog log, string? category = null)
    {
        _log = log;
        _category = category;
    }

    /// <inheritdoc />
    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

    /// <inheritdoc />
    public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None && _log.IsEnabled(Map(logLevel));

    /// <inheritdoc />
    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        if (!IsEnabled(logLevel))
        {
            return;
        }

        int? shard = null;
        if (state is IReadOnlyList<KeyValuePair<string, object?>> values)
        {
            foreach (KeyValuePair<string, object?> pair in values)
            {
                if (pair.Value is int id && (pair.Key.Equals("Shard", StringComparison.OrdinalIgnoreCase) || pair.Key.Equals("ShardId", StringComparison.OrdinalIgnoreCase)))
                {
                    shard = id;
                    break;
                }
            }
        }

        string message = formatter(state, exception);
        _log.Write(Map(logLevel), shard, _category is null ? message : _category + ": " + message, exception);
    }

    private static ProxyLogLevel Map(LogLevel level) => level switch
    {
        LogLevel.Trace => ProxyLogLevel.Trace,
        LogLevel.Debug => ProxyLogLevel.Debug,
        LogLevel.Information => ProxyLogLevel.Info,
        LogLevel.Warning => ProxyLogLevel.Warn,
        _ => ProxyLogLevel.Error,
    };
}
