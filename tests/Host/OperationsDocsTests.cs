using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using GatewayProxy.Egress.Metrics;
using GatewayProxy.Host.Configuration;
using GatewayProxy.Ingress.Metrics;
using GatewayProxy.Tests.Host.Configuration;
using Xunit;
using GatewayProxy.Tests.Support;

namespace GatewayProxy.Tests.Host;

/// <summary>docs/grafana-dashboard.json and docs/operations.md name only metrics the code exports, and the docs list all of them.</summary>
public sealed partial class OperationsDocsTests
{
    [Fact]
    public async Task Every_metric_the_dashboard_queries_is_exported_by_the_code()
    {
        Dictionary<string, string> families = await ExportedFamiliesAsync();
        using JsonDocument dashboard = JsonDocument.Parse(await File.ReadAllTextAsync(DocPath("grafana-dashboard.json")));
        var queries = new List<string>();
        CollectQueries(dashboard.RootElement, queries);

        Assert.True(queries.Count >= 20, $"only {queries.Count} queries found");
        var used = new HashSet<string>();
        foreach (string query in queries)
        {
            foreach (Match match in MetricName().Matches(query))
            {
                string name = match.Value;
                Assert.True(IsExported(name, families), $"the dashboard queries {name}, which the code does not export (in: {query})");
                used.Add(name);
            }
        }

        Assert.Contains("gateway_shard_latency_seconds_bucket", used);
        Assert.Contains("gateway_client_lag", used);
    }

    [Fact]
    public async Task Operations_doc_names_only_exported_metrics_and_lists_every_one()
    {
        Dictionary<string, string> families = await ExportedFamiliesAsync();
        string doc = await File.ReadAllTextAsync(DocPath("operations.md"));

        foreach (Match match in MetricName().Matches(doc))
        {
            if (!match.Value.EndsWith('_'))
            {
                Assert.True(IsExported(match.Value, families), $"operations.md names {match.Value}, which the code does not export");
            }
        }

        const string cachePrefix = "gateway_cache_";
        foreach (string family in families.Keys)
        {
            bool listed = doc.Contains('`' + family + '`', StringComparison.Ordinal)
                || (family.StartsWith(cachePrefix, StringComparison.Ordinal) && doc.Contains('`' + family[cachePrefix.Length..] + '`', StringComparison.Ordinal));
            Assert.True(listed, $"operations.md does not list the metric {family}");
        }
    }

    [Theory]
    [InlineData(0, 0, 16)]
    [InlineData(2, 32, 48)]
    public async Task The_statefulset_entrypoint_maps_the_pod_ordinal_to_a_valid_shard_range(int ordinal, int start, int end)
    {
        string doc = await File.ReadAllTextAsync(DocPath("operations.md"));
        string config = YamlBlock(doc, "  config.json: |");
        string script = YamlBlock(doc, "  entrypoint.sh: |");
        string dir = Directory.CreateTempSubdirectory("gp-ops-").FullName;
        try
        {
            // The documented script, run by a real shell, with its paths moved into a temporary folder and the exec printing the config.
            await File.WriteAllTextAsync(Path.Combine(dir, "config.json"), config);
            string output = Path.Combine(dir, "out.json");
            string runnable = script.Replace("/config/config.json", Path.Combine(dir, "config.json"), StringComparison.Ordinal)
                .Replace("/tmp/config.json", output, StringComparison.Ordinal)
                .Replace("exec /app/GatewayProxy --config", "exec cat", StringComparison.Ordinal);
            Assert.NotEqual(script, runnable);
            await File.WriteAllTextAsync(Path.Combine(dir, "entrypoint.sh"), runnable);
            var info = new System.Diagnostics.ProcessStartInfo("sh") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            info.ArgumentList.Add(Path.Combine(dir, "entrypoint.sh"));
            info.Environment["POD_NAME"] = "gateway-proxy-" + ordinal;
            info.Environment["SHARDS_PER_POD"] = "16";
            using var process = System.Diagnostics.Process.Start(info)!;
            string printed = await process.StandardOutput.ReadToEndAsync();
            string errors = await process.StandardError.ReadToEndAsync();
            await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
            Assert.True(process.ExitCode == 0, errors);

            ProxyConfig loaded = ConfigLoader.LoadFromJson(printed, "entrypoint output", name => name == ConfigLoader.TokenVariable ? "doc-token" : null);
            Assert.Equal(start, loaded.ShardStart);
            Assert.Equal(end, loaded.ShardEnd);
            Assert.Equal(64, loaded.Shards);
            Assert.Equal("http://gateway-queue.default.svc:8000/", loaded.Upstream.IdentifyQueueUrl);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    /// <summary>The literal block (<c>key: |</c>) under <paramref name="header"/> in the doc's YAML, de-indented.</summary>
    private static string YamlBlock(string doc, string header)
    {
        string[] lines = doc.Split('\n');
        int at = Array.FindIndex(lines, l => l.TrimEnd() == header);
        Assert.True(at >= 0, $"operations.md has no \"{header.Trim()}\" block");
        var block = new StringBuilder();
        for (int i = at + 1; i < lines.Length && lines[i].StartsWith("    ", StringComparison.Ordinal); i++)
        {
            block.Append(lines[i][4..]).Append('\n');
        }

        return block.ToString();
    }

    /// <summary>Family name → type, from the <c># TYPE</c> lines of a registry holding every metric family the proxy creates.</summary>
    private static async Task<Dictionary<string, string>> ExportedFamiliesAsync()
    {
        var registry = Prometheus.Metrics.NewCustomRegistry();
        _ = new IngressMetrics(registry);
        _ = new EgressMetrics(registry);
        GatewayProxy.Host.Wiring.RuntimeMetrics.Register(registry);
        _ = new GatewayProxy.Host.Resharding.ReshardMetrics(registry);
        string text = await MetricsText.ScrapeAsync(registry);
        var families = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (string line in text.Split('\n'))
        {
            if (line.StartsWith("# TYPE ", StringComparison.Ordinal))
            {
                string[] parts = line.Split(' ');
                families[parts[2]] = parts[3];
            }
        }

        Assert.True(families.Count > 20, "the registry exported too few families to be the proxy's");
        return families;
    }

    /// <summary>A family name, or a histogram's <c>_bucket</c>/<c>_sum</c>/<c>_count</c> series.</summary>
    private static bool IsExported(string name, Dictionary<string, string> families)
    {
        if (families.ContainsKey(name))
        {
            return true;
        }

        foreach (string suffix in (string[])["_bucket", "_sum", "_count"])
        {
            if (name.EndsWith(suffix, StringComparison.Ordinal)
                && families.TryGetValue(name[..^suffix.Length], out string? type) && type == "histogram")
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Every <c>expr</c>, <c>query</c> and <c>definition</c> string anywhere in the dashboard.</summary>
    private static void CollectQueries(JsonElement element, List<string> queries)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (JsonProperty property in element.EnumerateObject())
                {
                    if (property.Name is "expr" or "query" or "definition" && property.Value.ValueKind == JsonValueKind.String)
                    {
                        queries.Add(property.Value.GetString()!);
                    }
                    else
                    {
                        CollectQueries(property.Value, queries);
                    }
                }

                break;
            case JsonValueKind.Array:
                foreach (JsonElement item in element.EnumerateArray())
                {
                    CollectQueries(item, queries);
                }

                break;
        }
    }

    private static string DocPath(string name) => Path.Combine(SampleConfigTests.RepositoryRoot(), "docs", name);

    [GeneratedRegex("gateway_[a-z0-9_]+")]
    private static partial Regex MetricName();
}
