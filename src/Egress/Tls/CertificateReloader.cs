using GatewayProxy.Egress.Server;
using Microsoft.Extensions.Logging;

namespace GatewayProxy.Egress.Tls;

/// <summary>Holds the certificate the client port serves and replaces it when its files change on disk, so a certbot or
/// cert-manager renewal needs no restart (docs/configuration.md, "TLS").</summary>
/// <remarks>
/// Watches the files' directories, not the files: certbot swaps symlinks and Kubernetes replaces a mounted secret by
/// renaming a directory. Every change is debounced (the certificate and the key are written one after the other) and then
/// checked by content, and a slow poll catches what a watcher misses (or a watcher that could not start). A pair that does
/// not load is logged and the previous certificate kept; connections already open keep the certificate they started with.
/// </remarks>
internal sealed class CertificateReloader : IDisposable
{
    private static readonly TimeSpan Debounce = TimeSpan.FromMilliseconds(300);

    private readonly string _certFile;
    private readonly string _keyFile;
    private readonly ILogger _logger;
    private readonly Lock _reloadLock = new();
    private readonly Timer _debounce;
    private readonly Timer _poll;
    private readonly List<FileSystemWatcher> _watchers = [];
    private volatile ServerCertificate _current;
    private byte[]? _lastFailedHash;
    private bool _disposed;

    public CertificateReloader(string certFile, string keyFile, ServerCertificate initial, ILogger logger, TimeSpan pollInterval)
    {
        _certFile = Path.GetFullPath(certFile);
        _keyFile = Path.GetFullPath(keyFile);
        _current = initial;
        _logger = logger;
        _debounce = new Timer(static state => ((CertificateReloader)state!).TryReload(), this, Timeout.Infinite, Timeout.Infinite);
        _poll = new Timer(static state => ((CertificateReloader)state!).TryReload(), this, pollInterval, pollInterval);
        foreach (string directory in new[] { Path.GetDirectoryName(_certFile)!, Path.GetDirectoryName(_keyFile)! }.Distinct(StringComparer.Ordinal))
        {
            Watch(directory);
        }
    }

    /// <summary>The certificate new connections are served.</summary>
    public ServerCertificate Current => _current;

    /// <summary>Loads the files when their content changed; true when a new certificate is now served.</summary>
    public bool TryReload()
    {
        lock (_reloadLock)
        {
            if (_disposed) return false;
            byte[]? hash = ServerCertificate.HashFiles(_certFile, _keyFile);
            // Unreadable (mid-rotation), unchanged, or the same broken pair as last time: nothing to do or to log again.
            if (hash is null || hash.AsSpan().SequenceEqual(_current.FileHash) || (_lastFailedHash is not null && hash.AsSpan().SequenceEqual(_lastFailedHash)))
            {
                return false;
            }

            if (!ServerCertificate.TryLoad(_certFile, _keyFile, DateTimeOffset.UtcNow, out ServerCertificate? loaded, out string? error))
            {
                _lastFailedHash = hash;
                EgressLog.TlsReloadFailed(_logger, error!, _current.Leaf.Thumbprint);
                return false;
            }

            _lastFailedHash = null;
            ServerCertificate previous = _current;
            _current = loaded!;
            EgressLog.TlsReloaded(_logger, loaded!.Leaf.Thumbprint, loaded.Leaf.NotAfter, previous.Leaf.Thumbprint);
            return true;
        }
    }

    public void Dispose()
    {
        lock (_reloadLock)
        {
            _disposed = true;
        }

        foreach (FileSystemWatcher watcher in _watchers) watcher.Dispose();
        _debounce.Dispose();
        _poll.Dispose();
    }

    private void Watch(string directory)
    {
        try
        {
            var watcher = new FileSystemWatcher(directory)
            {
                NotifyFilter = NotifyFilters.LastWrite | NotifyFilters.FileName | NotifyFilters.DirectoryName | NotifyFilters.Size | NotifyFilters.CreationTime,
            };
            watcher.Changed += OnFileEvent;
            watcher.Created += OnFileEvent;
            watcher.Renamed += OnFileEvent;
            watcher.Deleted += OnFileEvent;
            watcher.EnableRaisingEvents = true;
            _watchers.Add(watcher);
        }
        catch (Exception e) when (e is IOException or ArgumentException or UnauthorizedAccessException or PlatformNotSupportedException)
        {
            // inotify instances exhausted, or a directory that cannot be watched: the poll still picks up changes.
            EgressLog.TlsWatchFailed(_logger, directory, e.Message);
        }
    }

    private void OnFileEvent(object sender, FileSystemEventArgs e)
    {
        try
        {
            _debounce.Change(Debounce, Timeout.InfiniteTimeSpan);
        }
        catch (ObjectDisposedException)
        {
            // Stopping.
        }
    }
}
