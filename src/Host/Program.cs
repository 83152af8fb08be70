namespace GatewayProxy.Host;

/// <summary>The GatewayProxy executable.</summary>
public static class Program
{
    /// <summary>Entry point.</summary>
    public static int Main(string[] args)
    {
        Console.Error.WriteLine("GatewayProxy: the proxy is not wired yet; see README.md for what runs today.");
        return args.Length == 0 ? 1 : 1;
    }
}
