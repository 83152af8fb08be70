using System.Runtime.InteropServices;

namespace GatewayProxy.Tooling;

/// <summary>Signals for the tests' child processes (perf only ever kills its children).</summary>
internal sealed partial class ChildProcess
{
    private const int SigTerm = 15;

    /// <summary>Sends a real SIGTERM, as systemd or Kubernetes would.</summary>
    public void SendSigterm()
    {
        if (Kill(_process.Id, SigTerm) != 0)
        {
            throw new InvalidOperationException($"kill(SIGTERM) failed: errno {Marshal.GetLastPInvokeError()}");
        }
    }

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);
}
