using System.Diagnostics;
using System.Text;

namespace GatewayProxy.Tests.Interop;

/// <summary>Runs a Node script from tests/Interop with the pinned packages and reads its JSON lines.</summary>
public sealed class NodeScript : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _stderr = new();
    private readonly Lock _stderrGate = new();

    private NodeScript(Process process)
    {
        _process = process;
        _process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                lock (_stderrGate)
                {
                    _stderr.AppendLine(e.Data);
                }
            }
        };
        _process.BeginErrorReadLine();
    }

    /// <summary>tests/Interop in the source tree.</summary>
    public static string Directory { get; } = FindDirectory();

    /// <summary>What the script wrote to stderr so far.</summary>
    public string StandardError
    {
        get
        {
            lock (_stderrGate)
            {
                return _stderr.ToString();
            }
        }
    }

    /// <summary>Starts <c>node SCRIPT ARGS</c>; fails with what to do when node or the packages are missing.</summary>
    public static NodeScript Start(string script, params string[] args) => Start(script, null, args);

    /// <summary>Starts <c>node SCRIPT ARGS</c> with <paramref name="environment"/> added to this process's environment.</summary>
    public static NodeScript Start(string script, IReadOnlyDictionary<string, string>? environment, params string[] args)
    {
        if (!System.IO.Directory.Exists(Path.Combine(Directory, "node_modules", "@discordjs", "ws")))
        {
            throw new InvalidOperationException($"The interop packages are not installed: run `npm ci` in {Directory} (.ci/run does it).");
        }

        var info = new ProcessStartInfo("node")
        {
            WorkingDirectory = Directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        if (environment is not null)
        {
            foreach (var (name, value) in environment)
            {
                info.Environment[name] = value;
            }
        }

        info.ArgumentList.Add(script);
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        try
        {
            return new NodeScript(Process.Start(info) ?? throw new InvalidOperationException("node did not start"));
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException("Node.js (`node`) is needed for the interop tests and was not found on PATH.", e);
        }
    }

    /// <summary>The next stdout line that is not a diagnostic (<c>#</c>), or null at the end of output; throws after the timeout.</summary>
    public async Task<string?> ReadLineAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        while (true)
        {
            string? line;
            try
            {
                line = await _process.StandardOutput.ReadLineAsync(cts.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"no line from the node script within {timeout}; stderr:\n{StandardError}");
            }

            if (line is null || !line.StartsWith('#'))
            {
                return line;
            }
        }
    }

    /// <summary>The script's process id.</summary>
    public int ProcessId => _process.Id;

    /// <summary>SIGKILL, as a crashed or OOM-killed bot: no close frames, the kernel just drops its sockets. Waits for the exit.</summary>
    public async Task KillAsync(TimeSpan timeout)
    {
        _process.Kill(entireProcessTree: false);
        using var cts = new CancellationTokenSource(timeout);
        await _process.WaitForExitAsync(cts.Token);
    }

    /// <summary>Kills the script if it is still running.</summary>
    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        try
        {
            await _process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            // Left to the OS.
        }

        _process.Dispose();
    }

    private static string FindDirectory()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "tests", "Interop");
            if (File.Exists(Path.Combine(candidate, "package.json")))
            {
                return candidate;
            }
        }

        throw new InvalidOperationException("tests/Interop not found above " + AppContext.BaseDirectory);
    }
}
