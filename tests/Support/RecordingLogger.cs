using System.Threading.Channels;
using Microsoft.Extensions.Logging;

namespace GatewayProxy.Tests.Support;

/// <summary>An <see cref="ILogger"/> that keeps every line (level, event id, text) and lets a test wait for one.</summary>
internal sealed class RecordingLogger : ILogger
{
    private readonly Channel<string> _pending = Channel.CreateUnbounded<string>();
    private readonly List<(LogLevel Level, int EventId, string Text)> _entries = [];

    /// <summary>Every line logged so far, oldest first, as "Level: text".</summary>
    public IReadOnlyList<string> Lines
    {
        get
        {
            lock (_entries)
            {
                return _entries.Select(e => $"{e.Level}: {e.Text}").ToArray();
            }
        }
    }

    /// <summary>The texts of the lines whose event id is in [<paramref name="first"/>, <paramref name="last"/>].</summary>
    public List<string> LinesWithIds(int first, int last)
    {
        lock (_entries)
        {
            return _entries.Where(e => e.EventId >= first && e.EventId <= last).Select(e => e.Text).ToList();
        }
    }

    /// <summary>Everything logged, one line each, for failure messages.</summary>
    public override string ToString()
    {
        lock (_entries)
        {
            return string.Join('\n', _entries.Select(e => $"{e.Level} {e.EventId} {e.Text}"));
        }
    }

    /// <inheritdoc />
    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    /// <inheritdoc />
    public bool IsEnabled(LogLevel logLevel) => true;

    /// <inheritdoc />
    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        string text = formatter(state, exception);
        lock (_entries)
        {
            _entries.Add((logLevel, eventId.Id, text));
        }

        _pending.Writer.TryWrite($"{logLevel}: {text}");
    }

    /// <summary>Waits for the next line (from those not yet waited for) containing <paramref name="fragment"/>.</summary>
    public async Task<string> WaitForLineAsync(string fragment, TimeSpan limit)
    {
        using var timeout = new CancellationTokenSource(limit);
        try
        {
            while (true)
            {
                string line = await _pending.Reader.ReadAsync(timeout.Token);
                if (line.Contains(fragment, StringComparison.Ordinal))
                {
                    return line;
                }
            }
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested)
        {
            throw new TimeoutException($"no log line containing \"{fragment}\" within {limit}; got:\n{this}");
        }
    }
}
