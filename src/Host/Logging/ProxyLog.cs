using System.Globalization;
using System.Text;

namespace GatewayProxy.Host.Logging;

/// <summary>
/// The Host's logger: one line per message, <c>2026-11-28T01:02:03.456Z INFO  [shard 3] message</c>,
/// Trace..Info to the standard writer and Warn..Error to the error writer. The minimum level can be
/// changed at any time from any thread (config hot reload), and every registered secret (the bot token)
/// is replaced with "[redacted]" before anything is written.
/// </summary>
public sealed class ProxyLog
{
    /// <summary>What a secret is replaced with.</summary>
    public const string RedactedMarker = "[redacted]";

    // Secrets shorter than this would redact ordinary words; no Discord token is this short.
    private const int MinimumSecretLength = 4;

    private readonly TextWriter _standard;
    private readonly TextWriter _errors;
    private readonly TimeProvider _time;
    private readonly Lock _writeLock = new();
    private int _minimumLevel;
    // Copy-on-write so Write never takes a lock to read the list.
    private volatile string[] _secrets = [];

    /// <summary>Creates a logger writing to the given writers.</summary>
    public ProxyLog(TextWriter standard, TextWriter errors, ProxyLogLevel minimumLevel, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(standard);
        ArgumentNullException.ThrowIfNull(errors);
        _standard = standard;
        _errors = errors;
        _time = time ?? TimeProvider.System;
        _minimumLevel = (int)minimumLevel;
    }

    /// <summary>Creates a logger writing to the console: Trace..Info to stdout, Warn..Error to stderr.</summary>
    public static ProxyLog Console(ProxyLogLevel minimumLevel) => new(System.Console.Out, System.Console.Error, minimumLevel);

    /// <summary>The lowest level that is written; safe to change from any thread at any time.</summary>
    public ProxyLogLevel MinimumLevel
    {
        get => (ProxyLogLevel)Volatile.Read(ref _minimumLevel);
        set => Volatile.Write(ref _minimumLevel, (int)value);
    }

    /// <summary>Whether a line at this level would be written; check it before building an expensive message.</summary>
    public bool IsEnabled(ProxyLogLevel level) => (int)level >= Volatile.Read(ref _minimumLevel);

    /// <summary>Registers a value that must never appear in the output (the bot token); empty or very short values are ignored.</summary>
    public void AddSecret(string? secret)
    {
        if (secret is null || secret.Length < MinimumSecretLength)
        {
            return;
        }

        lock (_writeLock)
        {
            if (Array.IndexOf(_secrets, secret) >= 0)
            {
                return;
            }

            var next = new string[_secrets.Length + 1];
            _secrets.CopyTo(next, 0);
            next[^1] = secret;
            // Longest first, so a secret containing another is replaced whole.
            Array.Sort(next, static (a, b) => b.Length.CompareTo(a.Length));
            _secrets = next;
        }
    }

    /// <summary>Replaces every registered secret in <paramref name="text"/> with <see cref="RedactedMarker"/>.</summary>
    public string Redact(string text)
    {
        var secrets = _secrets;
        foreach (var secret in secrets)
        {
            if (text.Contains(secret, StringComparison.Ordinal))
            {
                text = text.Replace(secret, RedactedMarker, StringComparison.Ordinal);
            }
        }

        return text;
    }

    /// <summary>Writes a line if <paramref name="level"/> is enabled; <paramref name="shard"/> adds a "[shard N]" tag, <paramref name="exception"/> is appended.</summary>
    public void Write(ProxyLogLevel level, int? shard, string message, Exception? exception = null)
    {
        if (!IsEnabled(level))
        {
            return;
        }

        var line = new StringBuilder(64 + message.Length);
        line.Append(_time.GetUtcNow().UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture));
        line.Append(' ').Append(level.ToLabel()).Append(' ');
        if (shard is { } id)
        {
            line.Append("[shard ").Append(id.ToString(CultureInfo.InvariantCulture)).Append("] ");
        }

        line.Append(message);
        if (exception is not null)
        {
            line.Append(": ").Append(exception);
        }

        var text = Redact(line.ToString());
        var writer = level >= ProxyLogLevel.Warn ? _errors : _standard;
        lock (_writeLock)
        {
            writer.WriteLine(text);
            writer.Flush();
        }
    }

    /// <summary>Writes a Trace line.</summary>
    public void Trace(string message, int? shard = null) => Write(ProxyLogLevel.Trace, shard, message);

    /// <summary>Writes a Debug line.</summary>
    public void Debug(string message, int? shard = null) => Write(ProxyLogLevel.Debug, shard, message);

    /// <summary>Writes an Info line.</summary>
    public void Info(string message, int? shard = null) => Write(ProxyLogLevel.Info, shard, message);

    /// <summary>Writes a Warn line.</summary>
    public void Warn(string message, int? shard = null, Exception? exception = null) => Write(ProxyLogLevel.Warn, shard, message, exception);

    /// <summary>Writes an Error line.</summary>
    public void Error(string message, int? shard = null, Exception? exception = null) => Write(ProxyLogLevel.Error, shard, message, exception);
}
