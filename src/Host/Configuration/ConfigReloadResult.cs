using GatewayProxy.Host.Logging;

namespace GatewayProxy.Host.Configuration;

/// <summary>The outcome of one <see cref="ConfigWatcher.TryReload"/>.</summary>
/// <param name="Loaded">Whether the file loaded; false keeps the previous configuration.</param>
/// <param name="Errors">Why it did not load (empty when it did).</param>
/// <param name="NewLogLevel">The log level applied by this reload, or null when it did not change.</param>
/// <param name="NeedsRestart">Changed fields that only take effect after a restart (paths like "port", "cache.members").</param>
public sealed record ConfigReloadResult(
    bool Loaded,
    IReadOnlyList<string> Errors,
    ProxyLogLevel? NewLogLevel,
    IReadOnlyList<string> NeedsRestart);
