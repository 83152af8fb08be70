using System.Buffers;

namespace GatewayProxy.Tests.Protocol.WebSockets;

/// <summary>Builds multi-segment ReadOnlySequences, the way a pipe hands over bytes that arrived in pieces.</summary>
internal static class SegmentedSequence
{
    /// <summary>One sequence whose segments are the given pieces (empty pieces become empty segments).</summary>
    public static ReadOnlySequence<byte> From(IReadOnlyList<ReadOnlyMemory<byte>> pieces)
    {
        if (pieces.Count == 0)
        {
            return ReadOnlySequence<byte>.Empty;
        }

        var first = new Segment(pieces[0], 0);
        Segment last = first;
        for (int i = 1; i < pieces.Count; i++)
        {
            last = last.Append(pieces[i]);
        }

        return new ReadOnlySequence<byte>(first, 0, last, last.Memory.Length);
    }

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

        return From(pieces);
    }

    private sealed class Segment : ReadOnlySequenceSegment<byte>
    {
        public Segment(ReadOnlyMemory<byte> memory, long runningIndex)
        {
            Memory = memory;
            RunningIndex = runningIndex;
        }

        public Segment Append(ReadOnlyMemory<byte> memory)
        {
            var next = new Segment(memory, RunningIndex + Memory.Length);
            Next = next;
            return next;
        }
    }
}
