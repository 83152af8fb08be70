using System.Buffers;
using GatewayProxy.Fuzz.Harnesses;

namespace GatewayProxy.Tests.Protocol.WebSockets;

/// <summary>Random multi-segment ReadOnlySequences, the way a pipe hands over bytes that arrived in pieces (built by the
/// fuzz harnesses' <see cref="Segments"/>).</summary>
internal static class SegmentedSequence
{
    /// <summary>Cuts <paramref name="data"/> into segments of 1..maxSegment bytes (at most ~maxSegments of them), with some empty ones between.</summary>
    public static ReadOnlySequence<byte> Split(byte[] data, Random random, int maxSegment, int maxSegments = 4000)
    {
        int minSegment = Math.Max(1, (data.Length / maxSegments) + 1);
        maxSegment = Math.Max(maxSegment, minSegment);
        var pieces = new List<ReadOnlyMemory<byte>>();
        int offset = 0;
        while (offset < data.Length)
        {
            if (random.Next(20) == 0)
            {
                pieces.Add(ReadOnlyMemory<byte>.Empty);
            }

            int size = Math.Min(data.Length - offset, random.Next(minSegment, maxSegment + 1));
            pieces.Add(data.AsMemory(offset, size));
            offset += size;
        }

        return Segments.From(pieces);
    }
}
