using System.Text.Json;

namespace GatewayProxy.Simulator.Gateway;

/// <summary>Number reads that answer false for a non-number instead of throwing (client payloads are untrusted).</summary>
internal static class JsonElements
{
    /// <summary>An integral number that fits an int.</summary>
    public static bool TryInt32(this JsonElement element, out int value)
    {
        value = 0;
        return element.ValueKind == JsonValueKind.Number && element.TryGetInt32(out value);
    }

    /// <summary>An integral number that fits a long.</summary>
    public static bool TryInt64(this JsonElement element, out long value)
    {
        value = 0;
        return element.ValueKind == JsonValueKind.Number && element.TryGetInt64(out value);
    }
}
