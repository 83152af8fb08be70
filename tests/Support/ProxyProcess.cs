using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;
using System.Threading.Channels;

namespace GatewayProxy.Tests.Support;

/// <summary>
/// The real GatewayProxy executable as a child process (the Host project is referenced by the tests, so its
/// GatewayProxy.dll and runtimeconfig sit beside the test assembly). Reads stdout and stderr line by line,
/// lets a test wait for a line, stops it with a real SIGTERM, and kills it on dispose.
/// </summary>
internal sealed partial class ProxyProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly Channel<string> _lines = Channel.CreateUnbounded<string>();
    private readonly StringBuilder _output = new();
    private readonly object _gate = new();
    private int _closedStreams;

    private ProxyProcess(Process process)
    {
        _process = process;
    }

    /// <summary>The child's process id.</summary>
    public int Id => _process.Id;

    /// <summary>Whether the child has exited.</summary>
    public bool HasExited => _process.HasExited;

    /// <summary>Everything the child printed so far (stdout and stderr interleaved), for failure messages.</summary>
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

    /// <summary>Starts <c>dotnet GatewayProxy.dll</c> with <paramref name="arguments"/> in <paramref name="workingDirectory"/>.</summary>
    public static ProxyProcess Start(IEnumerable<string> arguments, string workingDirectory, IReadOnlyDictionary<string, string>? environment = null)
    {
        string dll = Path.Combine(AppContext.BaseDirectory, "GatewayProxy.dll");
        if (!File.Exists(dll))
        {
            throw new FileNotFoundException("the GatewayProxy executable is not beside the tests (is src/Host referenced?)", dll);
        }

        var info = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
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
        var child = new ProxyProcess(process);
        process.OutputDataReceived += (_, e) => child.OnLine(e.Data);
        process.ErrorDataReceived += (_, e) => child.OnLine(e.Data);
        if (!process.Start())
        {
            throw new InvalidOperationException("could not start the GatewayProxy child process");
        }

        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return child;
    }

    /// <summary>Waits for the first line (from now on) that contains <paramref name="fragment"/>; returns it.</summary>
    public async Task<string> WaitForLineAsync(string fragment, TimeSpan limit)
    {
        using var timeout = new CancellationTokenSource(limit);
        try
        {
            while (await _lines.Reader.WaitToReadAsync(timeout.Token))
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
            throw new TimeoutException($"the proxy printed no line containing \"{fragment}\" within {limit}. Output so far:\n{Output}");
        }

        throw new InvalidOperationException($"the proxy exited (code {ExitCodeOrNull()}) before printing \"{fragment}\". Output:\n{Output}");
    }

    /// <summary>Sends a real SIGTERM, as systemd or Kubernetes would.</summary>
    public void SendSigterm()
    {
        if (Kill(_process.Id, SigTerm) != 0)
        {
            throw new InvalidOperationException($"kill(SIGTERM) failed: errno {Marshal.GetLastPInvokeError()}");
        }
    }

    /// <summary>Waits for the child to exit and returns its exit code.</summary>
    public async Task<int> WaitForExitAsync(TimeSpan limit)
    {
        using var timeout = new CancellationTokenSource(limit);
        try
        {
            await _process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested)
        {
            throw new TimeoutException($"the proxy did not exit within {limit}. Output:\n{Output}");
        }

        return _process.ExitCode;
    }

    /// <summary>Kills the child (whole tree) if it still runs.</summary>
    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
                await _process.WaitForExitAsync(timeout.Token);
            }
        }
        catch (InvalidOperationException)
        {
        }
        catch (OperationCanceledException)
        {
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

        lock (_gate)
        {
            _output.AppendLine(line);
        }

        _lines.Writer.TryWrite(line);
    }

    private string ExitCodeOrNull() => _process.HasExited ? _process.ExitCode.ToString(System.Globalization.CultureInfo.InvariantCulture) : "running";

    private const int SigTerm = 15;

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);
}
