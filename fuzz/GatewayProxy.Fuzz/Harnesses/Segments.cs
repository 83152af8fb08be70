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

        var first = new Segment(data[..segmentSize], 0);
        Segment last = first;
        for (int offset = segmentSize; offset < data.Length; offset += segmentSize)
        {
            last = last.Append(data[offset..Math.Min(data.Length, offset + segmentSize)]);
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
