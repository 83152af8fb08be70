using System.Buffers;
using System.Text;
using FsCheck;
using FsCheck.Fluent;
using GatewayProxy.Protocol.WebSockets;

namespace GatewayProxy.Tests.Protocol.WebSockets;

/// <summary>One data message of a round-trip scenario: its type, size, how many fragments and interleaved control frames.</summary>
public sealed record MessageSpec(WebSocketOpcode Opcode, int Size, int Fragments, int Controls, int Seed);

/// <summary>A generated round-trip scenario: the reading role, the messages, and how the byte stream is cut up and fed.</summary>
public sealed record RoundTripSpec(WebSocketRole Role, MessageSpec[] Messages, int MaxSegment, int MaxChunk, int Seed)
{
    public override string ToString() =>
        $"{Role}, segment ≤{MaxSegment}, chunk ≤{MaxChunk}, seed {Seed}: " + string.Join("; ", Messages.Select(m => m.ToString()));
}

/// <summary>What the reader must report, in order: a whole message or a control frame.</summary>
public sealed record ExpectedEvent(bool IsControl, WebSocketOpcode Opcode, byte[] Payload)
{
    public override string ToString() => $"{(IsControl ? "control" : "message")} {Opcode} ({Payload.Length} bytes)";
}

/// <summary>FsCheck generators for the round-trip property, and the frame stream a spec stands for.</summary>
public static class RoundTripArbitraries
{
    private static readonly int[] BoundarySizes = [0, 1, 125, 126, 127, 65535, 65536, 65537];

    /// <summary>Arbitrary scenarios: mostly small messages, often length-encoding boundaries, sometimes up to ~200 KB.</summary>
    public static Arbitrary<RoundTripSpec> RoundTrip()
    {
        Gen<int> size = Gen.Frequency(
            (10, Gen.Choose(0, 300)),
            (4, Gen.Elements(BoundarySizes)),
            (2, Gen.Choose(0, 70_000)),
            (1, Gen.Choose(100_000, 200_000)));
        Gen<MessageSpec> message =
            from opcode in Gen.Elements(WebSocketOpcode.Text, WebSocketOpcode.Binary)
            from bytes in size
            from fragments in Gen.Frequency((3, Gen.Constant(1)), (2, Gen.Choose(2, 6)))
            from controls in Gen.Frequency((3, Gen.Constant(0)), (2, Gen.Choose(1, 4)))
            from seed in Gen.Choose(0, int.MaxValue)
            select new MessageSpec(opcode, bytes, fragments, controls, seed);
        Gen<RoundTripSpec> spec =
            from role in Gen.Elements(WebSocketRole.Server, WebSocketRole.Client)
            from count in Gen.Choose(1, 4)
            from messages in message.ArrayOf(count)
            from maxSegment in Gen.Elements(1, 2, 3, 7, 16, 100, 4096, 65536, 1 << 20)
            from maxChunk in Gen.Elements(1, 2, 5, 13, 64, 1000, 16384, 1 << 20)
            from seed in Gen.Choose(0, int.MaxValue)
            select new RoundTripSpec(role, messages, maxSegment, maxChunk, seed);
        return spec.ToArbitrary();
    }

    /// <summary>Writes the scenario's frames (masked when the reader is a server) and lists the events a reader must report.</summary>
    public static byte[] BuildStream(RoundTripSpec spec, List<ExpectedEvent> expected)
    {
        var output = new ArrayBufferWriter<byte>();
        var random = new Random(spec.Seed);
        foreach (MessageSpec message in spec.Messages)
        {
            var rng = new Random(message.Seed);
            byte[] payload = message.Opcode == WebSocketOpcode.Text ? RandomUtf8(rng, message.Size) : RandomBytes(rng, message.Size);

            // Fragment cut points (empty fragments allowed) and, for each gap including before/after, its control frames.
            int[] cuts = new int[message.Fragments + 1];
            for (int i = 1; i < message.Fragments; i++)
            {
                cuts[i] = rng.Next(0, payload.Length + 1);
            }

            cuts[message.Fragments] = payload.Length;
            Array.Sort(cuts, 1, message.Fragments - 1);
            int[] controlsBefore = new int[message.Fragments + 1];
            for (int c = 0; c < message.Controls; c++)
            {
                controlsBefore[rng.Next(0, message.Fragments + 1)]++;
            }

            for (int f = 0; f <= message.Fragments; f++)
            {
                for (int c = 0; c < controlsBefore[f]; c++)
                {
                    WriteControl(output, rng, spec.Role, expected, random);
                }

                if (f == message.Fragments)
                {
                    break;
                }

                WebSocketOpcode opcode = f == 0 ? message.Opcode : WebSocketOpcode.Continuation;
                bool fin = f == message.Fragments - 1;
                WebSocketFrameWriter.WriteFrame(output, opcode, payload.AsSpan(cuts[f], cuts[f + 1] - cuts[f]), fin, MaskFor(spec.Role, random));
            }

            expected.Insert(IndexOfMessageEnd(expected, message, controlsBefore), new ExpectedEvent(false, message.Opcode, payload));
        }

        return output.WrittenSpan.ToArray();
    }

    // The message is reported when its final fragment completes: after the controls written before that fragment,
    // before the controls written after it.
    private static int IndexOfMessageEnd(List<ExpectedEvent> expected, MessageSpec message, int[] controlsBefore) =>
        expected.Count - controlsBefore[message.Fragments];

    private static void WriteControl(ArrayBufferWriter<byte> output, Random rng, WebSocketRole role, List<ExpectedEvent> expected, Random maskRandom)
    {
        WebSocketOpcode opcode = rng.Next(5) switch { 0 => WebSocketOpcode.Close, 1 or 2 => WebSocketOpcode.Pong, _ => WebSocketOpcode.Ping };
        byte[] payload;
        if (opcode == WebSocketOpcode.Close)
        {
            // At most 30 scalars of at most 4 bytes: the reason always fits the 123 bytes left after the code.
            byte[] reason = Encoding.UTF8.GetBytes(RandomText(rng, rng.Next(0, 31)));
            payload = [0x0F, 0xA0, .. reason]; // 4000
        }
        else
        {
            payload = RandomBytes(rng, rng.Next(0, 126));
        }

        WebSocketFrameWriter.WriteFrame(output, opcode, payload, fin: true, MaskFor(role, maskRandom));
        expected.Add(new ExpectedEvent(true, opcode, payload));
    }

    // A server reads masked client frames; a client reads unmasked server frames.
    private static uint? MaskFor(WebSocketRole readerRole, Random random) =>
        readerRole == WebSocketRole.Server ? (uint)random.NextInt64(0, 1L << 32) : null;

    private static byte[] RandomBytes(Random rng, int size)
    {
        byte[] bytes = new byte[size];
        rng.NextBytes(bytes);
        return bytes;
    }

    /// <summary>Valid UTF-8 of exactly <paramref name="size"/> bytes mixing 1-, 2-, 3- and 4-byte scalars.</summary>
    private static byte[] RandomUtf8(Random rng, int size)
    {
        byte[] bytes = new byte[size];
        int position = 0;
        Span<byte> scalar = stackalloc byte[4];
        while (position < size)
        {
            var rune = RandomRune(rng);
            int length = rune.EncodeToUtf8(scalar);
            if (length > size - position)
            {
                rune = new Rune('a' + rng.Next(26));
                length = rune.EncodeToUtf8(scalar);
            }

            scalar[..length].CopyTo(bytes.AsSpan(position));
            position += length;
        }

        return bytes;
    }

    private static string RandomText(Random rng, int scalars)
    {
        var text = new StringBuilder();
        for (int i = 0; i < scalars; i++)
        {
            text.Append(RandomRune(rng).ToString());
        }

        return text.ToString();
    }

    private static Rune RandomRune(Random rng) => rng.Next(4) switch
    {
        0 => new Rune(rng.Next(0x20, 0x7F)),
        1 => new Rune(rng.Next(0x80, 0x800)),
        2 => new Rune(rng.Next(2) == 0 ? rng.Next(0x800, 0xD800) : rng.Next(0xE000, 0x10000)),
        _ => new Rune(rng.Next(0x10000, 0x110000)),
    };
}
