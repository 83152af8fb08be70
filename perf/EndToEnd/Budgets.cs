using System.Text.Json;
using GatewayProxy.Protocol.Compression;

namespace GatewayProxy.Perf.EndToEnd;

/// <summary>
/// perf/budgets.json: bytes the proxy may allocate per relayed event, by client compression (like Garnet's allocation
/// budgets). Quick mode fails when a proxy run goes over; timings never fail it.
/// </summary>
internal sealed class Budgets
{
    private readonly Dictionary<string, double> _allocation;
    private readonly Dictionary<string, double> _scenarios;

    private Budgets(Dictionary<string, double> allocation, Dictionary<string, double> scenarios)
    {
        _allocation = allocation;
        _scenarios = scenarios;
    }

    /// <summary>Loads budgets.json from beside the executable (copied there by the build).</summary>
    public static Budgets Load()
    {
        var path = Path.Combine(AppContext.BaseDirectory, "budgets.json");
        using var document = JsonDocument.Parse(File.ReadAllBytes(path));
        var allocation = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var property in document.RootElement.GetProperty("allocated_bytes_per_event").EnumerateObject())
        {
            allocation[property.Name] = property.Value.GetDouble();
        }

        var scenarios = new Dictionary<string, double>(StringComparer.Ordinal);
        if (document.RootElement.TryGetProperty("scenarios", out var perScenario))
        {
            foreach (var property in perScenario.EnumerateObject())
            {
                scenarios[property.Name] = property.Value.GetDouble();
            }
        }

        return new Budgets(allocation, scenarios);
    }

    /// <summary>The allocation budget per delivered event: the scenario's own, else its compression's.</summary>
    public double AllocationPerEvent(Scenario scenario) =>
        _scenarios.TryGetValue(scenario.Name, out var own) ? own
        : _allocation.TryGetValue(Scenario.CompressionName(scenario.Compression), out var budget) ? budget
        : throw new InvalidOperationException($"budgets.json has no allocation budget for \"{Scenario.CompressionName(scenario.Compression)}\"");
}
