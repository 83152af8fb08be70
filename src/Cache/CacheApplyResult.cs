namespace GatewayProxy.Cache;

/// <summary>What applying one dispatch did to the cache.</summary>
public enum CacheApplyResult
{
    /// <summary>The event does not concern the cache (or its guild is unknown); only the position moved.</summary>
    Ignored,
    /// <summary>The cache changed (or was checked and needed no change).</summary>
    Applied,
    /// <summary>The event's data was not the JSON shape expected; the cache is unchanged, the position moved.</summary>
    Malformed,
}
