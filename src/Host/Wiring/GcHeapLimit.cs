using System.Globalization;

namespace GatewayProxy.Host.Wiring;

/// <summary>
/// Sets the GC heap hard limit of the running process from <c>memory_limit_mb</c> (docs/operations.md, "Memory limit").
/// </summary>
/// <remarks>
/// The runtime reads <c>DOTNET_GCHeapHardLimit</c> and runtimeconfig's <c>System.GC.HeapHardLimit</c> only at start, but
/// since .NET 8 a process may set the <c>GCHeapHardLimit</c> AppContext value and call <see cref="GC.RefreshMemoryLimit"/>:
/// the GC then enforces the new limit from the next allocation on, exactly as if it had been set at start (allocations
/// beyond it throw <see cref="OutOfMemoryException"/>). The config value wins over the environment variable. Done once,
/// by the executable, before anything large is allocated; the in-process tests never call it (it is process-wide).
/// </remarks>
internal static class GcHeapLimit
{
    /// <summary>The AppContext key the GC reads on <see cref="GC.RefreshMemoryLimit"/>.</summary>
    private const string Key = "GCHeapHardLimit";

    /// <summary>Sets the limit to <paramref name="bytes"/>; false with a reason naming the field when the GC refuses it.</summary>
    public static bool TryApply(long bytes, out string? error)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(bytes, 1);
        object? previous = AppContext.GetData(Key);
        AppContext.SetData(Key, (ulong)bytes);
        try
        {
            GC.RefreshMemoryLimit();
        }
        catch (InvalidOperationException e)
        {
            // The GC refuses a limit below what it has already committed, or an invalid one.
            AppContext.SetData(Key, previous);
            error = string.Create(CultureInfo.InvariantCulture,
                $"config.json: \"memory_limit_mb\" is {bytes / (1024 * 1024)}, but the GC refused it as its heap hard limit ({e.Message}); it has {GC.GetGCMemoryInfo().TotalCommittedBytes / (1024 * 1024)} MiB committed already");
            return false;
        }

        error = null;
        return true;
    }

    /// <summary>The limit the GC enforces now, in bytes (its heap hard limit, or the machine's memory when none is set).</summary>
    public static long Current => GC.GetGCMemoryInfo().TotalAvailableMemoryBytes;
}
