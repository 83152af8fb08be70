using System.Text.Json;

namespace GatewayProxy.Host.Configuration;

/// <summary>Which fields differ between two configurations, as config.json paths ("cache.members"); values are never included.</summary>
public static class ConfigDiff
{
    /// <summary>The paths whose values differ, top-level fields first by document order, nested objects field by field.</summary>
    public static IReadOnlyList<string> ChangedFields(ProxyConfig before, ProxyConfig after)
    {
        ArgumentNullException.ThrowIfNull(before);
        ArgumentNullException.ThrowIfNull(after);
        // Comparing the serialized forms covers every field, nested ones included, without a hand-written comparer to keep in sync.
        var a = JsonSerializer.SerializeToElement(before, ConfigJsonContext.Default.ProxyConfig);
        var b = JsonSerializer.SerializeToElement(after, ConfigJsonContext.Default.ProxyConfig);
        var changed = new List<string>();
        Compare(a, b, "", changed);
        return changed;
    }

    private static void Compare(JsonElement a, JsonElement b, string prefix, List<string> changed)
    {
        foreach (var property in a.EnumerateObject())
        {
            var path = prefix.Length == 0 ? property.Name : prefix + "." + property.Name;
            var other = b.GetProperty(property.Name);
            if (property.Value.ValueKind == JsonValueKind.Object && other.ValueKind == JsonValueKind.Object
                && property.Name != "ring_sizes")
            {
                Compare(property.Value, other, path, changed);
            }
            else if (!JsonElement.DeepEquals(property.Value, other))
            {
                changed.Add(path);
            }
        }
    }
}
