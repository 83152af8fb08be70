using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace GatewayProxy.Perf.Soak;

/// <summary>Writes the soak's CSV, markdown table and (when python3 with matplotlib is there) a PNG, and judges flatness.</summary>
internal static class SoakReport
{
    /// <summary>Writes soak.csv, soak.md and soak.png into <paramref name="folder"/>; returns the verdict line.</summary>
    public static string Write(string folder, IReadOnlyList<SoakSample> samples, string command, string summary)
    {
        Directory.CreateDirectory(folder);
        string csv = Path.Combine(folder, "soak.csv");
        File.WriteAllLines(csv, [SoakSample.CsvHeader, .. samples.Select(s => s.ToCsv())]);

        string verdict = Verdict(samples);
        var md = new StringBuilder();
        md.AppendLine("# Soak run").AppendLine();
        md.AppendLine("Command: `" + command + "`").AppendLine();
        md.AppendLine(summary).AppendLine();
        md.AppendLine(verdict).AppendLine();
        md.AppendLine("| " + SoakSample.CsvHeader.Replace(",", " | ", StringComparison.Ordinal) + " |");
        md.AppendLine("|" + string.Concat(Enumerable.Repeat("---|", SoakSample.CsvHeader.Count(c => c == ',') + 1)));
        foreach (SoakSample sample in samples)
        {
            md.AppendLine(sample.ToMarkdown());
        }

        File.WriteAllText(Path.Combine(folder, "soak.md"), md.ToString());
        TryPlot(csv, Path.Combine(folder, "soak.png"));
        return verdict;
    }

    /// <summary>
    /// Flat = after warm-up (the first 20% of the run), the median of the last third is within 10% (or 8 MiB) of the
    /// median of the middle third, for the working set and for the GC heap.
    /// </summary>
    public static string Verdict(IReadOnlyList<SoakSample> samples)
    {
        if (samples.Count < 6)
        {
            return "Verdict: too few samples to judge.";
        }

        double end = samples[^1].Seconds;
        var settled = samples.Where(s => s.Seconds >= end * 0.2).ToList();
        int third = Math.Max(1, settled.Count / 3);
        var middle = settled.Skip(third).Take(third).ToList();
        var last = settled.TakeLast(third).ToList();
        (double m1, double l1) = (Median(middle, s => s.WorkingSetBytes), Median(last, s => s.WorkingSetBytes));
        (double m2, double l2) = (Median(middle, s => s.GcHeapBytes), Median(last, s => s.GcHeapBytes));
        bool flat = Flat(m1, l1) && Flat(m2, l2);
        return string.Create(
            CultureInfo.InvariantCulture,
            $"Verdict: {(flat ? "FLAT" : "GROWING")} after warm-up — working set median {SoakSample.Mib((long)m1):F1} → {SoakSample.Mib((long)l1):F1} MiB, GC heap median {SoakSample.Mib((long)m2):F1} → {SoakSample.Mib((long)l2):F1} MiB (middle third → last third).");
    }

    private static bool Flat(double middle, double last) => last - middle <= Math.Max(middle * 0.10, 8 * 1024 * 1024);

    private static double Median(List<SoakSample> samples, Func<SoakSample, long> value)
    {
        var sorted = samples.Select(value).Order().ToList();
        return sorted.Count == 0 ? 0 : sorted[sorted.Count / 2];
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
