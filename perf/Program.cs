using BenchmarkDotNet.Running;

namespace GatewayProxy.Perf;

/// <summary>Entry point: BenchmarkDotNet switcher over every benchmark in this assembly.</summary>
public static class Program
{
    /// <summary>Runs the benchmarks selected by the arguments (see perf/README.md).</summary>
    public static void Main(string[] args) => BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
}
