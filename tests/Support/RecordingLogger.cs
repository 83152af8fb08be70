using System.Threading.Channels;
using Microsoft.Extensions.Logging;

namespace GatewayProxy.Tests.Support;

/// <summary>An <see cref="ILogger"/> that keeps every formatted line and lets a test wait for one.</summary>
internal sealed class RecordingLogger : ILogger
{
    private readonly Channel<string> _pending = Channel.CreateUnbounded<string>();
    private readonly List<string> _lines = [];

    /// <summary>Every line logged so far.</summary>
    public IReadOnlyList<string> Lines
    {
        get
        {
            lock (_lines)
            {
                return _lines.ToArray();
            }
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
        string line = $"{logLevel}: {formatter(state, exception)}";
        lock (_lines)
        {
            _lines.Add(line);
        }

        _pending.Writer.TryWrite(line);
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
            throw new TimeoutException($"no log line containing \"{fragment}\" within {limit}; got:\n{string.Join('\n', Lines)}");
        }
    }
}
