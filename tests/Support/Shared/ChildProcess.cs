using System.Diagnostics;
using System.Text;
using System.Threading.Channels;

namespace GatewayProxy.Tooling;

/// <summary>
/// A .NET program run as a child process (<c>dotnet X.dll args</c>): reads stdout and stderr line by line, lets the
/// caller wait for a line, write to its stdin, wait for its exit, and kills it (whole tree) on dispose.
/// </summary>
/// <remarks>One source for the tests (the real proxy executable) and perf's end-to-end driver (the proxy and the
/// baselines, for their own CPU time and memory): perf links this file, so neither project depends on the other.</remarks>
internal sealed partial class ChildProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly Channel<string> _lines = Channel.CreateUnbounded<string>();
    private readonly StringBuilder _output = new();
    private readonly Lock _gate = new();
    private readonly int _maxOutputChars;
    private int _closedStreams;
    private long _lineCount;

    private ChildProcess(Process process, int maxOutputChars)
    {
        _process = process;
        _maxOutputChars = maxOutputChars;
    }

    /// <summary>The child's process id.</summary>
    public int Id => _process.Id;

    /// <summary>Lines the child has printed so far (stdout and stderr).</summary>
    public long LineCount => Interlocked.Read(ref _lineCount);

    /// <summary>Whether the child has exited.</summary>
    public bool HasExited => _process.HasExited;

    /// <summary>What the child printed (stdout and stderr interleaved): everything, or its tail when a limit was given.</summary>
    public string Output
    {
        get
        {
            lock (_gate)
            {
                return _output.ToString();
            }
        }
    }

    /// <summary>Starts <c>dotnet <paramref name="dll"/> <paramref name="arguments"/></c> in <paramref name="workingDirectory"/>,
    /// with <c>TOKEN</c> removed from its environment and <paramref name="environment"/> added; keeps at most about
    /// <paramref name="maxOutputChars"/> of its output (the latest).</summary>
    public static ChildProcess Start(string dll, IEnumerable<string> arguments, string workingDirectory,
        IReadOnlyDictionary<string, string>? environment = null, bool redirectInput = false, int maxOutputChars = int.MaxValue)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = redirectInput,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(dll);
        foreach (string argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        info.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        info.Environment.Remove("TOKEN");
        if (environment is not null)
        {
            foreach ((string key, string value) in environment)
            {
                info.Environment[key] = value;
            }
        }

        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        var child = new ChildProcess(process, maxOutputChars);
        process.OutputDataReceived += (_, e) => child.OnLine(e.Data);
        process.ErrorDataReceived += (_, e) => child.OnLine(e.Data);
        if (!process.Start())
        {
            throw new InvalidOperationException($"could not start dotnet {dll}");
        }

        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return child;
    }

    /// <summary>Waits for the next line (from now on) that contains <paramref name="fragment"/>; returns it.</summary>
    public async Task<string> WaitForLineAsync(string fragment, TimeSpan limit)
    {
        using var timeout = new CancellationTokenSource(limit);
        try
        {
            while (await _lines.Reader.WaitToReadAsync(timeout.Token).ConfigureAwait(false))
            {
                while (_lines.Reader.TryRead(out string? line))
                {
                    if (line.Contains(fragment, StringComparison.Ordinal))
                    {
                        return line;
                    }
                }
            }
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested)
        {
            throw new TimeoutException($"the child printed no line containing \"{fragment}\" within {limit}. Output so far:\n{Output}");
        }

        throw new InvalidOperationException($"the child exited (code {ExitCodeOrRunning()}) before printing \"{fragment}\". Output:\n{Output}");
    }

    /// <summary>Writes a line to the child's standard input (started with <c>redirectInput</c>).</summary>
    public async Task WriteLineAsync(string line)
    {
        await _process.StandardInput.WriteLineAsync(line).ConfigureAwait(false);
        await _process.StandardInput.FlushAsync().ConfigureAwait(false);
    }

    /// <summary>Waits for the child to exit and returns its exit code.</summary>
    public async Task<int> WaitForExitAsync(TimeSpan limit)
    {
        using var timeout = new CancellationTokenSource(limit);
        try
        {
            await _process.WaitForExitAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested)
        {
            throw new TimeoutException($"the child did not exit within {limit}. Output:\n{Output}");
        }

        return _process.ExitCode;
    }

    /// <summary>Kills the child (whole tree) if it still runs and waits for it, bounded.</summary>
    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
                await _process.WaitForExitAsync(timeout.Token).ConfigureAwait(false);
            }
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
        catch (OperationCanceledException)
        {
            // Did not die within the bound; nothing more to do.
        }
        finally
        {
            _process.Dispose();
        }
    }

    private void OnLine(string? line)
    {
        if (line is null)
        {
            // Both stdout and stderr reached end of file: the child is gone; waiters stop waiting.
            if (Interlocked.Increment(ref _closedStreams) == 2)
            {
                _lines.Writer.TryComplete();
            }

            return;
        }

        Interlocked.Increment(ref _lineCount);
        lock (_gate)
        {
            if (_output.Length > _maxOutputChars)
            {
                _output.Remove(0, _output.Length - (_maxOutputChars / 2));
            }

            _output.AppendLine(line);
        }

        _lines.Writer.TryWrite(line);
    }

    private string ExitCodeOrRunning() => _process.HasExited ? _process.ExitCode.ToString(System.Globalization.CultureInfo.InvariantCulture) : "running";
}
