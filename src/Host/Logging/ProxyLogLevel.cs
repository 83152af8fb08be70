namespace GatewayProxy.Host.Logging;

/// <summary>Severity of a log line, lowest first; a <see cref="ProxyLog"/> prints a line when its level is at least the minimum.</summary>
public enum ProxyLogLevel
{
    /// <summary>Per-event detail, for debugging the proxy itself.</summary>
    Trace = 0,
    /// <summary>Connection and session detail.</summary>
    Debug = 1,
    /// <summary>What an operator wants to see: shards ready, clients connected, reloads.</summary>
    Info = 2,
    /// <summary>Something went wrong and was handled.</summary>
    Warn = 3,
    /// <summary>Something went wrong and needs attention.</summary>
    Error = 4,
}

/// <summary>Names of <see cref="ProxyLogLevel"/> as written in config.json and in log lines.</summary>
public static class ProxyLogLevels
{
    /// <summary>The accepted spellings, for error messages.</summary>
    public const string Accepted = "\"trace\", \"debug\", \"info\", \"warn\" (or \"warning\") or \"error\"";

    /// <summary>Parses a config name, case-insensitively; "warning" is accepted for <see cref="ProxyLogLevel.Warn"/>.</summary>
    public static bool TryParse(string? name, out ProxyLogLevel level)
    {
        switch (name?.ToLowerInvariant())
        {
            case "trace": level = ProxyLogLevel.Trace; return true;
            case "debug": level = ProxyLogLevel.Debug; return true;
            case "info": level = ProxyLogLevel.Info; return true;
            case "warn" or "warning": level = ProxyLogLevel.Warn; return true;
            case "error": level = ProxyLogLevel.Error; return true;
            default: level = ProxyLogLevel.Info; return false;
        }
    }

    /// <summary>The config name of a level ("info").</summary>
    public static string ToConfigName(this ProxyLogLevel level) => level switch
    {
        ProxyLogLevel.Trace => "trace",
        ProxyLogLevel.Debug => "debug",
        ProxyLogLevel.Info => "info",
        ProxyLogLevel.Warn => "warn",
        ProxyLogLevel.Error => "error",
        _ => throw new ArgumentOutOfRangeException(nameof(level), level, "unknown log level"),
    };

    /// <summary>The fixed-width (5 characters) label used in log lines ("INFO ").</summary>
    public static string ToLabel(this ProxyLogLevel level) => level switch
    {
        ProxyLogLevel.Trace => "TRACE",
        ProxyLogLevel.Debug => "DEBUG",
        ProxyLogLevel.Info => "INFO ",
        ProxyLogLevel.Warn => "WARN ",
        ProxyLogLevel.Error => "ERROR",
        _ => throw new ArgumentOutOfRangeException(nameof(level), level, "unknown log level"),
    };
}
