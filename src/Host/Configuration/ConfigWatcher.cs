using GatewayProxy.Host.Logging;

namespace GatewayProxy.Host.Configuration;

/// <summary>
/// Watches config.json and applies what can change at run time: <c>log_level</c>. Any other changed field is
/// reported as needing a restart; a file that does not load is reported and the running configuration kept.
/// Reloads are debounced (editors write a file in several steps) and never run concurrently.
/// </summary>
public sealed class ConfigWatcher : IDisposable
{
    private readonly string _path;
    private readonly Func<string, string?> _getEnv;
    private readonly ProxyLog _log;
    private readonly TimeSpan _debounce;
    private readonly Lock _reloadLock = new();
    private readonly Timer _timer;
    private FileSystemWatcher? _watcher;
    private volatile ProxyConfig _current;
    private bool _disposed;

    /// <summary>Creates a watcher for <paramref name="path"/>, starting from the configuration already loaded from it.</summary>
    public ConfigWatcher(string path, ProxyConfig initial, Func<string, string?> getEnv, ProxyLog log, TimeSpan? debounce = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(initial);
        ArgumentNullException.ThrowIfNull(getEnv);
        ArgumentNullException.ThrowIfNull(log);
        _path = Path.GetFullPath(path);
        _current = initial;
        _getEnv = getEnv;
        _log = log;
        _debounce = debounce ?? TimeSpan.FromMilliseconds(500);
        _timer = new Timer(static state => ((ConfigWatcher)state!).OnDebounced(), this, Timeout.Infinite, Timeout.Infinite);
    }

    /// <summary>Raised (on the reloading thread) with the new level when a reload changes <c>log_level</c>.</summary>
    public event Action<ProxyLogLevel>? LogLevelChanged;

    /// <summary>The configuration in effect: the one loaded at start with every hot-reloaded field applied.</summary>
    public ProxyConfig Current => _current;

    /// <summary>Starts watching the file; changes are picked up after the debounce delay.</summary>
    public void Start()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_watcher is not null)
        {
            return;
        }

        // Watch the directory, not the file: editors and Kubernetes ConfigMaps replace the file by renaming.
        var watcher = new FileSystemWatcher(Path.GetDirectoryName(_path)!, Path.GetFileName(_path))
        {
            NotifyFilter = NotifyFilters.LastWrite | NotifyFilters.FileName | NotifyFilters.Size | NotifyFilters.CreationTime,
        };
        watcher.Changed += OnFileEvent;
        watcher.Created += OnFileEvent;
        watcher.Renamed += OnFileEvent;
        watcher.EnableRaisingEvents = true;
        _watcher = watcher;
    }

    /// <summary>Loads the file now and applies it; what happened is logged and returned. Safe to call from any thread.</summary>
    public ConfigReloadResult TryReload()
    {
        lock (_reloadLock)
        {
            var current = _current;
            ProxyConfig loaded;
            try
            {
                loaded = ConfigLoader.Load(_path, _getEnv);
            }
            catch (ConfigException e)
            {
                foreach (var error in e.Errors)
                {
                    _log.Error($"config reload failed, keeping the running configuration: {error}");
                }

                return new ConfigReloadResult(false, e.Errors, null, []);
            }

            // A new token is not used before a restart, but it must never be printed either.
            _log.AddSecret(loaded.Token);
            var changed = ConfigDiff.ChangedFields(current, loaded);
            ProxyLogLevel? newLevel = null;
            var needsRestart = new List<string>();
            foreach (var field in changed)
            {
                if (field == "log_level")
                {
                    newLevel = loaded.LogLevel;
                }
                else
                {
                    needsRestart.Add(field);
                    _log.Warn($"config reload: \"{field}\" changed; it needs a restart to take effect");
                }
            }

            if (newLevel is { } level)
            {
                _current = current with { LogLevel = level };
                _log.Info($"config reload: log_level is now {level.ToConfigName()}");
                LogLevelChanged?.Invoke(level);
            }

            return new ConfigReloadResult(true, [], newLevel, needsRestart);
        }
    }

    /// <summary>Stops watching.</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        _watcher?.Dispose();
        _timer.Dispose();
    }

    private void OnFileEvent(object sender, FileSystemEventArgs e)
    {
        try
        {
            // Restarting the timer on every event collapses a burst of writes into one reload.
            _timer.Change(_debounce, Timeout.InfiniteTimeSpan);
        }
        catch (ObjectDisposedException)
        {
            // An event raced with Dispose: nothing left to reload.
        }
    }

    private void OnDebounced()
    {
        if (_disposed)
        {
            return;
        }

        try
        {
            TryReload();
        }
        catch (Exception e)
        {
            // A timer callback must not throw: that would take the process down over a config edit.
            _log.Error("config reload failed unexpectedly", exception: e);
        }
    }
}
