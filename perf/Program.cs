using BenchmarkDotNet.Running;

namespace GatewayProxy.Perf;

/// <summary>Entry point: BenchmarkDotNet switcher over every benchmark in this assembly.</summary>
public static class Program
{
    /// <summary>Runs the benchmarks selected by the arguments (see perf/README.md).</summary>
    public static void Main(string[] args)
    {
        switch (args.Length > 0 ? args[0] : string.Empty)
        {
            case "soak":
                Environment.ExitCode = Soak.SoakCommand.Run(args[1..]);
                return;
        }

        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
    }
}
