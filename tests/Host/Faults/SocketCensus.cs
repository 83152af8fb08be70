using System.Globalization;

namespace GatewayProxy.Tests.Host.Faults;

/// <summary>Counts this process's own TCP sockets by port, from /proc: exact even while other tests run in parallel (a plain
/// descriptor count is not: it is process-wide).</summary>
internal static class SocketCensus
{
    /// <summary>Established (not listening) TCP sockets held open by this process with the given local or remote port.</summary>
    public static int OwnedConnections(int localPort = -1, int remotePort = -1)
    {
        HashSet<string> owned = OwnedSocketInodes();
        int count = 0;
        foreach (string table in new[] { "/proc/net/tcp", "/proc/net/tcp6" })
        {
            if (!File.Exists(table)) continue;
            foreach (string line in File.ReadLines(table).Skip(1))
            {
                string[] f = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                if (f.Length < 10 || f[3] == "0A" || !owned.Contains(f[9])) continue;
                if (localPort >= 0 && PortOf(f[1]) != localPort) continue;
                if (remotePort >= 0 && PortOf(f[2]) != remotePort) continue;
                count++;
            }
        }

        return count;
    }

    private static int PortOf(string address) => int.Parse(address.AsSpan(address.IndexOf(':', StringComparison.Ordinal) + 1), NumberStyles.HexNumber, CultureInfo.InvariantCulture);

    private static HashSet<string> OwnedSocketInodes()
    {
        var inodes = new HashSet<string>(StringComparer.Ordinal);
        foreach (string fd in Directory.EnumerateFileSystemEntries("/proc/self/fd"))
        {
            string? target;
            try
            {
                target = new FileInfo(fd).LinkTarget;
            }
            catch (IOException)
            {
                continue; // Closed meanwhile.
            }

            if (target is not null && target.StartsWith("socket:[", StringComparison.Ordinal)) inodes.Add(target[8..^1]);
        }

        return inodes;
    }
}
