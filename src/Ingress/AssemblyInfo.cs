// Upstream: REST, shard connections, identify queue, cache.
[assembly: System.CLSCompliant(false)]
