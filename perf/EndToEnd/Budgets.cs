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

    private Budgets(Dictionary<string, double> allocation) => _allocation = allocation;

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

        return new Budgets(allocation);
    }

    /// <summary>The allocation budget for a compression, per delivered event.</summary>
    public double AllocationPerEvent(TransportCompression compression) =>
        _allocation.TryGetValue(Scenario.CompressionName(compression), out var budget) ? budget
            : throw new InvalidOperationException($"budgets.json has no allocation budget for \"{Scenario.CompressionName(compression)}\"");
}
