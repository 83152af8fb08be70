using System.Globalization;

namespace GatewayProxy.Tooling;

/// <summary>What perf reads of a child from /proc: its CPU time and memory (the rest of the type is shared with the tests).</summary>
internal sealed partial class ChildProcess
{
    /// <summary>User + system CPU seconds the child has used (/proc/PID/stat, clock ticks of 10 ms).</summary>
    public double CpuSeconds()
    {
        var stat = File.ReadAllText($"/proc/{Id}/stat");
        // Fields after the command name (which is in parentheses and may hold spaces): state is field 3, utime 14, stime 15.
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        var ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
        return ticks / 100.0;
    }

    /// <summary>Peak resident set size in bytes (VmHWM).</summary>
    public long PeakWorkingSet() => StatusBytes("VmHWM:");

    /// <summary>Resident set size now, in bytes (VmRSS).</summary>
    public long ResidentBytes() => StatusBytes("VmRSS:");

    /// <summary>Open file descriptors now (entries of /proc/PID/fd: sockets, pipes, files).</summary>
    public int OpenFileDescriptors() => Directory.GetFiles($"/proc/{Id}/fd").Length;

    /// <summary>Threads of the child now (Threads: in /proc/PID/status).</summary>
    public int ThreadCount() => (int)StatusValue("Threads:");

    private long StatusBytes(string field) => StatusValue(field) * 1024;

    /// <summary>The first number after <paramref name="field"/> in /proc/PID/status (kB for memory fields), 0 when absent.</summary>
    private long StatusValue(string field)
    {
        foreach (var line in File.ReadLines($"/proc/{Id}/status"))
        {
            if (line.StartsWith(field, StringComparison.Ordinal))
            {
                var value = line[field.Length..].Trim().Split(' ')[0];
                return long.Parse(value, CultureInfo.InvariantCulture);
            }
        }

        return 0;
    }
}
