using System.Diagnostics;
using System.Text;

namespace GatewayProxy.Perf.Soak;

/// <summary>Writes the soak's CSV, markdown report and (when python3 with matplotlib is there) a PNG of the curve.</summary>
internal static class SoakReport
{
    /// <summary>Writes soak.csv, soak.md and soak.png into <paramref name="folder"/>.</summary>
    public static void Write(string folder, IReadOnlyList<SoakSample> samples, string command, IEnumerable<string> lines, SoakAnalysis analysis)
    {
        Directory.CreateDirectory(folder);
        string csv = Path.Combine(folder, "soak.csv");
        File.WriteAllLines(csv, [SoakSample.CsvHeader, .. samples.Select(s => s.ToCsv())]);

        var md = new StringBuilder();
        md.AppendLine("# Soak run").AppendLine();
        md.AppendLine("Command: `" + command + "`").AppendLine();
        foreach (string line in lines)
        {
            md.AppendLine("- " + line);
        }

        md.AppendLine();
        foreach (string target in analysis.Targets())
        {
            md.AppendLine("- **" + target + "**");
        }

        md.AppendLine();
        md.AppendLine("| " + SoakSample.CsvHeader.Replace(",", " | ", StringComparison.Ordinal) + " |");
        md.AppendLine("|" + string.Concat(Enumerable.Repeat("---|", SoakSample.CsvHeader.Count(c => c == ',') + 1)));
        foreach (SoakSample sample in samples)
        {
            md.AppendLine(sample.ToMarkdown());
        }

        File.WriteAllText(Path.Combine(folder, "soak.md"), md.ToString());
        TryPlot(csv, Path.Combine(folder, "soak.png"));
    }

    /// <summary>The machine the soak ran on: CPU model and count, memory, kernel.</summary>
    public static string Machine()
    {
        string model = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? "unknown CPU";
        string memory = File.ReadLines("/proc/meminfo").FirstOrDefault(l => l.StartsWith("MemTotal:", StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? "?";
        string kernel = File.Exists("/proc/sys/kernel/osrelease") ? File.ReadAllText("/proc/sys/kernel/osrelease").Trim() : "?";
        return $"{Environment.ProcessorCount} cores ({model}), {memory} memory, Linux {kernel}, .NET {Environment.Version}";
    }

    private static void TryPlot(string csv, string png)
    {
        string script = Path.Combine(AppContext.BaseDirectory, "Soak", "plot_soak.py");
        // A python3 first on PATH (pyenv, venv) may lack matplotlib while Debian's python3-matplotlib serves /usr/bin/python3.
        foreach (string python in new[] { "python3", "/usr/bin/python3" })
        {
            try
            {
                using Process? process = Process.Start(new ProcessStartInfo(python) { ArgumentList = { script, csv, png }, UseShellExecute = false, RedirectStandardError = true });
                if (process is not null && process.WaitForExit(TimeSpan.FromMinutes(2)) && process.ExitCode == 0)
                {
                    return;
                }
            }
            catch (System.ComponentModel.Win32Exception)
            {
                // Not installed under this name: try the next.
            }
        }

        Console.WriteLine("soak: no PNG (needs python3 with matplotlib: apt-get install python3-matplotlib); the table is in soak.md");
    }
}
