using System.Globalization;
using GatewayProxy.Tooling;

namespace GatewayProxy.Perf.EndToEnd;

/// <summary>A baseline relay (raw bytes or naive JSON) run as a child process of this same perf executable.</summary>
internal sealed class BaselineTarget : IRelayTarget
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(60);
    private readonly ChildProcess _child;
    private readonly SemaphoreSlim _statsGate = new(1, 1);

    private BaselineTarget(string name, ChildProcess child, int port)
    {
        Name = name;
        _child = child;
        ClientUrl = new Uri(string.Create(CultureInfo.InvariantCulture, $"ws://127.0.0.1:{port}"));
    }

    /// <inheritdoc />
    public string Name { get; }

    /// <inheritdoc />
    public Uri ClientUrl { get; }

    /// <summary>Starts <c>relay-raw</c> or <c>relay-naive</c> in front of the Simulator at <paramref name="upstreamPort"/>.</summary>
    public static async Task<BaselineTarget> StartAsync(TargetKind kind, int upstreamPort)
    {
        var mode = kind == TargetKind.Raw ? BaselineHost.RawMode : BaselineHost.NaiveMode;
        var dll = typeof(BaselineTarget).Assembly.Location;
        var child = ChildProcess.Start(dll, [mode, "--upstream-port", upstreamPort.ToString(CultureInfo.InvariantCulture)], AppContext.BaseDirectory,
            redirectInput: true, maxOutputChars: 16_000);
        try
        {
            var line = await child.WaitForLineAsync(BaselineHost.ListeningLine, Limit).ConfigureAwait(false);
            var port = int.Parse(line[(line.LastIndexOf(':') + 1)..].Trim(), CultureInfo.InvariantCulture);
            return new BaselineTarget(kind == TargetKind.Raw ? "raw" : "naive", child, port);
        }
        catch
        {
            await child.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <inheritdoc />
    public async Task<TargetStats> ReadStatsAsync()
    {
        await _statsGate.WaitAsync().ConfigureAwait(false);
        try
        {
            await _child.WriteLineAsync(BaselineHost.StatsCommand).ConfigureAwait(false);
            var line = await _child.WaitForLineAsync(BaselineHost.StatsLine, Limit).ConfigureAwait(false);
            var fields = line[(line.IndexOf(BaselineHost.StatsLine, StringComparison.Ordinal) + BaselineHost.StatsLine.Length)..].Split(' ');
            return new TargetStats(_child.CpuSeconds(), long.Parse(fields[0], CultureInfo.InvariantCulture),
                long.Parse(fields[1], CultureInfo.InvariantCulture), long.Parse(fields[2], CultureInfo.InvariantCulture),
                long.Parse(fields[3], CultureInfo.InvariantCulture), _child.PeakWorkingSet());
        }
        finally
        {
            _statsGate.Release();
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _child.DisposeAsync().ConfigureAwait(false);
        _statsGate.Dispose();
    }
}
