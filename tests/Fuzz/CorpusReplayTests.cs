using GatewayProxy.Fuzz.Harnesses;
using GatewayProxy.Tests.Host.Configuration;
using Xunit;

namespace GatewayProxy.Tests.Fuzz;

/// <summary>
/// CI side of fuzzing: every checked-in corpus input and every regression input (a crash AFL++ once found) runs
/// through its harness in-process. A harness throws only on a real bug, so any exception fails the test.
/// </summary>
public sealed class CorpusReplayTests
{
    /// <summary>Every harness by name (the corpus folder names).</summary>
    public static TheoryData<string> Targets()
    {
        var data = new TheoryData<string>();
        foreach (FuzzTarget target in FuzzTargets.All)
        {
            data.Add(target.Name);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Targets))]
    public void Every_corpus_and_regression_input_passes_its_harness(string name)
    {
        FuzzTarget target = FuzzTargets.Find(name)!;
        string root = Path.Combine(SampleConfigTests.RepositoryRoot(), "fuzz");
        string[] corpus = Files(Path.Combine(root, "corpus", name));
        string[] regressions = Files(Path.Combine(root, "regressions", name));
        Assert.NotEmpty(corpus);

        var failures = new List<string>();
        foreach (string file in corpus.Concat(regressions))
        {
            try
            {
                target.Run(File.ReadAllBytes(file));
            }
            catch (Exception e)
            {
                failures.Add($"{Path.GetRelativePath(root, file)}: {e.GetType().Name}: {e.Message}");
            }
        }

        Assert.True(failures.Count == 0, string.Join(Environment.NewLine, failures));
    }

    [Fact]
    public void Seed_writer_seeds_pass_every_harness()
    {
        // The seeds come from the project's own writers and encoders: if they drift from the readers, this says so.
        string folder = Path.Combine(Path.GetTempPath(), "gatewayproxy-seeds-" + Guid.NewGuid().ToString("N"));
        try
        {
            GatewayProxy.Fuzz.SeedWriter.WriteAll(folder);
            foreach (FuzzTarget target in FuzzTargets.All)
            {
                string[] seeds = Files(Path.Combine(folder, target.Name));
                Assert.NotEmpty(seeds);
                foreach (string seed in seeds)
                {
                    target.Run(File.ReadAllBytes(seed));
                }
            }
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static string[] Files(string folder) =>
        Directory.Exists(folder) ? Directory.GetFiles(folder, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal).ToArray() : [];
}
