using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace GatewayProxy.Tests.Support;

/// <summary>An <see cref="ILogger"/> that keeps every line (level, event id, text) for assertions.</summary>
internal sealed class RecordingLogger : ILogger
{
    private readonly ConcurrentQueue<(LogLevel Level, int EventId, string Text)> _lines = new();

    /// <summary>Every line logged so far, oldest first.</summary>
    public IReadOnlyList<(LogLevel Level, int EventId, string Text)> Lines => _lines.ToArray();

    /// <summary>The lines whose event id is in [<paramref name="first"/>, <paramref name="last"/>].</summary>
    public List<string> LinesWithIds(int first, int last)
    {
        var found = new List<string>();
        foreach ((LogLevel _, int id, string text) in _lines)
        {
            if (id >= first && id <= last)
            {
                found.Add(text);
            }
        }

        return found;
    }

    /// <summary>Everything logged, one line each, for failure messages.</summary>
    public override string ToString() => string.Join('\n', _lines.Select(l => $"{l.Level} {l.EventId} {l.Text}"));

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
        _lines.Enqueue((logLevel, eventId.Id, formatter(state, exception)));
}
