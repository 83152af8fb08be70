namespace GatewayProxy.Simulator;

/// <summary>Standalone entry point of the local Discord simulator.</summary>
public static class Program
{
    /// <summary>Runs the simulator until Ctrl-C.</summary>
    public static int Main(string[] args)
    {
        Console.Error.WriteLine("GatewayProxy.Simulator: not built yet (see issue 'Simulator').");
        return args.Length == 0 ? 1 : 1;
    }
}
