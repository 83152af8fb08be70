using System.Globalization;
using GatewayProxy.Protocol.Compression;

namespace GatewayProxy.Perf.EndToEnd;

/// <summary>One traffic shape: shards upstream, clients downstream (spread over the shards round-robin), compression on every hop.</summary>
internal sealed record Scenario(int Shards, int Clients, TransportCompression Compression, long WarmupEvents, long MeasuredEvents)
{
    /// <summary>Short name, e.g. <c>4s-64c-zlib</c>.</summary>
    public string Name => string.Create(CultureInfo.InvariantCulture, $"{Shards}s-{Clients}c-{CompressionName(Compression)}");

    /// <summary><c>none</c>, <c>zlib</c> or <c>zstd</c>.</summary>
    public static string CompressionName(TransportCompression c) => c switch
    {
        TransportCompression.ZlibStream => "zlib",
        TransportCompression.ZstdStream => "zstd",
        _ => "none",
    };
}
