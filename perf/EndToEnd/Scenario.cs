using System.Globalization;
using GatewayProxy.Protocol.Compression;

namespace GatewayProxy.Perf.EndToEnd;

/// <summary>One traffic shape: shards upstream, clients downstream (spread over the shards round-robin), compression on every hop.</summary>
internal sealed record Scenario(int Shards, int Clients, TransportCompression Compression, long WarmupEvents, long MeasuredEvents)
{
    /// <summary>Events per second per shard; 0 = as fast as the slowest client allows (closed loop).</summary>
    public double Rate { get; init; }

    /// <summary>Whether the proxy keeps its guild cache (config defaults) or runs with every cache flag off.</summary>
    public bool Cache { get; init; } = true;

    /// <summary>The shard count clients IDENTIFY with when it is not <see cref="Shards"/>: 1 makes one merged client read every
    /// upstream shard (a virtual shard, docs/architecture.md); null: the upstream count.</summary>
    public int? ClientShards { get; init; }

    /// <summary>Short name, e.g. <c>4s-64c-zlib</c>, <c>1s-1c-none-2000eps</c>, <c>1s-1c-none-nocache</c>, <c>16s-1c-none-n1</c>.</summary>
    public string Name => string.Create(CultureInfo.InvariantCulture,
        $"{Shards}s-{Clients}c-{CompressionName(Compression)}{(Rate > 0 ? $"-{Rate:0}eps" : "")}{(Cache ? "" : "-nocache")}{(ClientShards is { } n ? $"-n{n}" : "")}");

    /// <summary><c>none</c>, <c>zlib</c> or <c>zstd</c>.</summary>
    public static string CompressionName(TransportCompression c) => c switch
    {
        TransportCompression.ZlibStream => "zlib",
        TransportCompression.ZstdStream => "zstd",
        _ => "none",
    };
}
