using BenchmarkDotNet.Running;
using GatewayProxy.Perf.EndToEnd;

namespace GatewayProxy.Perf;

/// <summary>Entry point: <c>e2e</c> (end-to-end driver), <c>relay-raw</c>/<c>relay-naive</c> (its baseline children), else BenchmarkDotNet.</summary>
public static class Program
{
    /// <summary>Runs the mode selected by the first argument (see perf/README.md).</summary>
    public static async Task<int> Main(string[] args)
    {
        if (args.Length > 0)
        {
            switch (args[0])
            {
                case "soak":
                    return Soak.SoakCommand.Run(args[1..]);
                case "e2e":
                    return await E2eCommand.RunAsync(args[1..]).ConfigureAwait(false);
                case BaselineHost.RawMode:
                case BaselineHost.NaiveMode:
                    return await BaselineHost.RunAsync(args[0], args[1..]).ConfigureAwait(false);
            }
        }

        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
        return 0;
    }
}
