using System.Buffers;

namespace GatewayProxy.Fuzz.Harnesses;

/// <summary>Builds multi-segment sequences, so parsers meet data split across segments as a pipe delivers it.</summary>
public static class Segments
{
    /// <summary>A sequence over <paramref name="data"/> cut into segments of at most <paramref name="segmentSize"/> bytes (≥ 1).</summary>
    public static ReadOnlySequence<byte> Split(ReadOnlyMemory<byte> data, int segmentSize)
    {
        segmentSize = Math.Max(1, segmentSize);
        if (data.Length <= segmentSize)
        {
            return new ReadOnlySequence<byte>(data);
        }

        var pieces = new List<ReadOnlyMemory<byte>>((data.Length / segmentSize) + 1);
        for (int offset = 0; offset < data.Length; offset += segmentSize)
        {
            pieces.Add(data[offset..Math.Min(data.Length, offset + segmentSize)]);
        }

        return From(pieces);
    }

    /// <summary>One sequence whose segments are the given pieces (empty pieces become empty segments); the tests use it too.</summary>
    public static ReadOnlySequence<byte> From(IReadOnlyList<ReadOnlyMemory<byte>> pieces)
    {
        ArgumentNullException.ThrowIfNull(pieces);
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
