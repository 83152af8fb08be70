using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Threading.Channels;

namespace GatewayProxy.Perf.EndToEnd;

/// <summary>
/// A .NET program run as a child process (<c>dotnet X.dll args</c>) so its CPU time, allocations and memory are its own:
/// reads its output line by line, lets the driver wait for a line, write to its stdin, and read /proc for CPU and peak RSS.
/// </summary>
internal sealed class ChildProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly Channel<string> _lines = Channel.CreateUnbounded<string>();
    private readonly StringBuilder _tail = new();
    private readonly Lock _gate = new();
    private int _closedStreams;

    private ChildProcess(Process process) => _process = process;

    /// <summary>The child's process id.</summary>
    public int Id => _process.Id;

    /// <summary>The last lines it printed (for error messages).</summary>
    public string Tail
    {
        get
        {
            lock (_gate)
            {
                return _tail.ToString();
            }
        }
    }

    /// <summary>Starts <c>dotnet <paramref name="dll"/> <paramref name="arguments"/></c> in <paramref name="workingDirectory"/>.</summary>
    public static ChildProcess Start(string dll, IEnumerable<string> arguments, string workingDirectory)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(dll);
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        info.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        info.Environment.Remove("TOKEN");
        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        var child = new ChildProcess(process);
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

    /// <summary>Waits for the next line containing <paramref name="fragment"/> and returns it.</summary>
    public async Task<string> WaitForLineAsync(string fragment, TimeSpan limit)
    {
        using var timeout = new CancellationTokenSource(limit);
        try
        {
            while (await _lines.Reader.WaitToReadAsync(timeout.Token).ConfigureAwait(false))
            {
                while (_lines.Reader.TryRead(out var line))
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
            throw new TimeoutException($"no line containing \"{fragment}\" within {limit}; output:\n{Tail}");
        }

        throw new InvalidOperationException($"the child exited before printing \"{fragment}\"; output:\n{Tail}");
    }

    /// <summary>Writes a line to the child's standard input.</summary>
    public async Task WriteLineAsync(string line)
    {
        await _process.StandardInput.WriteLineAsync(line).ConfigureAwait(false);
        await _process.StandardInput.FlushAsync().ConfigureAwait(false);
    }

    /// <summary>User + system CPU seconds the child has used (/proc/PID/stat, clock ticks of 10 ms).</summary>
    public double CpuSeconds()
    {
        var stat = File.ReadAllText($"/proc/{Id}/stat");
        // Fields after the command name (which is in parentheses and may hold spaces): state is field 3, utime 14, stime 15.
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        var ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
        return ticks / 100.0;
    }

    /// <summary>Peak resident set size in bytes (VmHWM).</summary>
    public long PeakWorkingSet() => StatusBytes("VmHWM:");

    /// <summary>Resident set size now, in bytes (VmRSS).</summary>
    public long ResidentBytes() => StatusBytes("VmRSS:");

    private long StatusBytes(string field)
    {
        foreach (var line in File.ReadLines($"/proc/{Id}/status"))
        {
            if (line.StartsWith(field, StringComparison.Ordinal))
            {
                var kb = line[field.Length..].Trim().Split(' ')[0];
                return long.Parse(kb, CultureInfo.InvariantCulture) * 1024;
            }
        }

        return 0;
    }

    /// <summary>Kills the child if it still runs and waits for it (bounded).</summary>
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
            if (Interlocked.Increment(ref _closedStreams) == 2)
            {
                _lines.Writer.TryComplete();
            }

            return;
        }

        lock (_gate)
        {
            if (_tail.Length > 16_000)
            {
                _tail.Remove(0, 8_000);
            }

            _tail.AppendLine(line);
        }

        _lines.Writer.TryWrite(line);
    }
}
