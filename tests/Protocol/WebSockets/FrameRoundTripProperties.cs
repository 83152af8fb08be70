using System.Buffers;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using GatewayProxy.Protocol.WebSockets;

namespace GatewayProxy.Tests.Protocol.WebSockets;

public class FrameRoundTripProperties
{
    [Property(MaxTest = 1000, Arbitrary = [typeof(RoundTripArbitraries)])]
    public Property Written_frames_read_back_as_the_same_messages_and_controls_in_order_however_the_bytes_are_split(RoundTripSpec spec)
    {
        var expected = new List<ExpectedEvent>();
        byte[] stream = RoundTripArbitraries.BuildStream(spec, expected);
        var random = new Random(spec.Seed);
        ReadOnlySequence<byte> all = SegmentedSequence.Split(stream, random, spec.MaxSegment);
        List<ExpectedEvent> actual = Feed(spec, all, random, out string? failure);
        if (failure is not null)
        {
            return false.Label(failure);
        }

        bool same = actual.Count == expected.Count;
        for (int i = 0; same && i < actual.Count; i++)
        {
            same = actual[i].IsControl == expected[i].IsControl && actual[i].Opcode == expected[i].Opcode
                && actual[i].Payload.AsSpan().SequenceEqual(expected[i].Payload);
        }

        return same.Label($"expected [{string.Join(", ", expected)}] got [{string.Join(", ", actual)}]");
    }

    /// <summary>Feeds the sequence in random chunks, as a pipe would: each call sees the unconsumed bytes plus what arrived since.</summary>
    private static List<ExpectedEvent> Feed(RoundTripSpec spec, ReadOnlySequence<byte> all, Random random, out string? failure)
    {
        var reader = new WebSocketMessageReader(spec.Role, 1 << 20);
        var sink = new ArrayBufferWriter<byte>();
        var events = new List<ExpectedEvent>();
        long total = all.Length;
        // Bound the number of calls so a 200 KB stream fed byte by byte stays fast.
        int minChunk = (int)Math.Max(1, total / 20_000);
        int maxChunk = Math.Max(spec.MaxChunk, minChunk);
        SequencePosition start = all.Start;
        SequencePosition end = all.Start;
        long arrived = 0;
        failure = null;
        for (long guard = 0; guard < total + 10_000; guard++)
        {
            ReadOnlySequence<byte> window = all.Slice(start, end);
            WebSocketReadStatus status = reader.TryRead(ref window, sink);
            start = window.Start;
            switch (status)
            {
                case WebSocketReadStatus.Message:
                    if (reader.MessageLength != sink.WrittenCount)
                    {
                        failure = $"MessageLength {reader.MessageLength} but {sink.WrittenCount} bytes in the sink";
                        return events;
                    }

                    events.Add(new ExpectedEvent(false, reader.MessageOpcode, sink.WrittenSpan.ToArray()));
                    sink.ResetWrittenCount();
                    break;
                case WebSocketReadStatus.Control:
                    events.Add(new ExpectedEvent(true, reader.ControlOpcode, reader.ControlPayload.ToArray()));
                    break;
                case WebSocketReadStatus.Error:
                    failure = $"reader error {reader.Error} after {events.Count} events";
                    return events;
                default:
                    if (arrived == total)
                    {
                        if (window.Length != 0 || reader.IsInMessage)
                        {
                            failure = $"stream ended with {window.Length} bytes unconsumed, in message: {reader.IsInMessage}";
                        }

                        return events;
                    }

                    long chunk = Math.Min(total - arrived, random.Next(minChunk, maxChunk + 1));
                    end = all.GetPosition(chunk, end);
                    arrived += chunk;
                    break;
            }
        }

        failure = "reader made no progress";
        return events;
    }
}
