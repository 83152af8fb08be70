using System.Text.RegularExpressions;
using System.Xml.Linq;
using GatewayProxy.Tests.Host.Configuration;
using Xunit;

namespace GatewayProxy.Tests.Host;

/// <summary>docs/architecture.md's dependency block is the project graph as built, and the code cites only documents
/// that are in the repository.</summary>
public sealed partial class ArchitectureDocTests
{
    [Fact]
    public void Every_project_reference_under_src_is_an_edge_of_the_documented_graph()
    {
        string root = SampleConfigTests.RepositoryRoot();
        Dictionary<string, HashSet<string>> documented = DocumentedGraph(File.ReadAllText(Path.Combine(root, "docs", "architecture.md")));
        var projects = new HashSet<string>();
        foreach (string csproj in Directory.EnumerateFiles(Path.Combine(root, "src"), "*.csproj", SearchOption.AllDirectories))
        {
            string name = Path.GetFileName(Path.GetDirectoryName(csproj)!);
            projects.Add(name);
            Assert.True(documented.TryGetValue(name, out HashSet<string>? allowed), $"src/{name} is not in docs/architecture.md's graph");
            foreach (XElement reference in XDocument.Load(csproj).Descendants("ProjectReference"))
            {
                string target = Path.GetFileName(Path.GetDirectoryName(Path.GetFullPath(Path.Combine(Path.GetDirectoryName(csproj)!, (string)reference.Attribute("Include")!)))!);
                Assert.True(allowed!.Contains(target), $"src/{name} references {target}, which docs/architecture.md's graph does not allow");
            }
        }

        Assert.Equal(projects.OrderBy(p => p, StringComparer.Ordinal), documented.Keys.OrderBy(p => p, StringComparer.Ordinal));
        Assert.DoesNotContain("Egress", documented["Ingress"]);
        Assert.DoesNotContain("Ingress", documented["Egress"]);
        Assert.Equal(["Protocol"], documented["Cache"]);
        Assert.Empty(documented["Protocol"]);
    }

    [Fact]
    public void No_source_file_cites_a_design_document_outside_the_repository()
    {
        string root = SampleConfigTests.RepositoryRoot();
        foreach (string file in Directory.EnumerateFiles(Path.Combine(root, "src"), "*.cs", SearchOption.AllDirectories))
        {
            if (file.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)) continue;
            string text = File.ReadAllText(file);
            Assert.False(OutsideDoc().IsMatch(text), $"{Path.GetRelativePath(root, file)} cites a document outside the repository");
        }
    }

    private static Dictionary<string, HashSet<string>> DocumentedGraph(string doc)
    {
        var graph = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        foreach (Match line in Edge().Matches(doc))
        {
            string[] targets = line.Groups[2].Value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            graph[line.Groups[1].Value] = [.. targets];
        }

        Assert.True(graph.Count >= 8, $"docs/architecture.md's graph block lists {graph.Count} projects");
        return graph;
    }

    [GeneratedRegex(@"^([A-Z][A-Za-z]+)\s+->([^\n]*)$", RegexOptions.Multiline)]
    private static partial Regex Edge();

    [GeneratedRegex(@"\b(DESIGN|PROTOCOL|STYLE)\.md\b")]
    private static partial Regex OutsideDoc();
}
