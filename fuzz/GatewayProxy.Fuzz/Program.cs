using GatewayProxy.Fuzz.Harnesses;
using SharpFuzz;

namespace GatewayProxy.Fuzz;

/// <summary>AFL++ entry point: <c>GatewayProxy.Fuzz &lt;target&gt;</c> runs SharpFuzz's in-process fork server; <c>--replay</c> runs files.</summary>
public static class Program
{
    /// <summary>Selects a target by its first argument (see fuzz/README.md and fuzz/run.sh).</summary>
    public static int Main(string[] args)
    {
        if (args.Length == 2 && args[0] == "--write-seeds")
        {
            SeedWriter.WriteAll(args[1]);
            return 0;
        }

        FuzzTarget? target = args.Length > 0 ? FuzzTargets.Find(args[0]) : null;
        if (target is null)
        {
            Console.Error.WriteLine("usage: GatewayProxy.Fuzz <target> [--replay <file-or-dir>...] | --write-seeds <dir>");
            foreach (FuzzTarget t in FuzzTargets.All)
            {
                Console.Error.WriteLine($"  {t.Name,-14} {t.Description}");
            }

            return 2;
        }

        if (args.Length > 1 && args[1] == "--replay")
        {
            return Replay(target, args.AsSpan(2));
        }

        // Persistent mode: one process runs many inputs, so a harness must keep no state between inputs.
        Fuzzer.Run(stream =>
        {
            using var buffer = new MemoryStream();
            stream.CopyTo(buffer);
            target.Run(buffer.GetBuffer().AsSpan(0, (int)buffer.Length));
        });
        return 0;
    }

    /// <summary>Runs files (or every file of folders) through the target outside AFL; prints failures, exits 1 on any.</summary>
    private static int Replay(FuzzTarget target, ReadOnlySpan<string> paths)
    {
        int failures = 0;
        int count = 0;
        foreach (string path in paths)
        {
            string[] files = Directory.Exists(path) ? Directory.GetFiles(path, "*", SearchOption.AllDirectories) : [path];
            foreach (string file in files)
            {
                count++;
                try
                {
                    target.Run(File.ReadAllBytes(file));
                }
                catch (Exception e)
                {
                    failures++;
                    Console.WriteLine($"FAIL {file}: {e.GetType().Name}: {e.Message}");
                    Console.WriteLine(e.StackTrace);
                }
            }
        }

        Console.WriteLine($"{target.Name}: {count} inputs, {failures} failures");
        return failures == 0 ? 0 : 1;
    }
}
