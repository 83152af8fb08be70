using GatewayProxy.Tooling;

namespace GatewayProxy.Tests.Support;

/// <summary>
/// The real GatewayProxy executable as a child process (the Host project is referenced by the tests, so its
/// GatewayProxy.dll and runtimeconfig sit beside the test assembly).
/// </summary>
internal static class ProxyProcess
{
    /// <summary>Starts <c>dotnet GatewayProxy.dll</c> with <paramref name="arguments"/> in <paramref name="workingDirectory"/>.</summary>
    public static ChildProcess Start(IEnumerable<string> arguments, string workingDirectory, IReadOnlyDictionary<string, string>? environment = null, bool redirectInput = false)
    {
        string dll = Path.Combine(AppContext.BaseDirectory, "GatewayProxy.dll");
        if (!File.Exists(dll))
        {
            throw new FileNotFoundException("the GatewayProxy executable is not beside the tests (is src/Host referenced?)", dll);
        }

        return ChildProcess.Start(dll, arguments, workingDirectory, environment, redirectInput);
    }
}
