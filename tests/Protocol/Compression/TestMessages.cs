using System.Text;
using FsCheck;
using FsCheck.Fluent;

namespace GatewayProxy.Tests.Protocol.Compression;

/// <summary>What one generated message looks like: its kind, exact size and the seed of its bytes.</summary>
public readonly record struct MessageSpec(MessageKind Kind, int Size, int Seed)
{
    /// <summary>The message bytes, reproducible from the spec (so shrinking and failure output stay small).</summary>
    public byte[] Build() => TestMessages.Build(Kind, Size, Seed);
}

/// <summary>Kinds of generated message content.</summary>
public enum MessageKind
{
    RandomBytes,
    JsonLike,
    Repetitive,
}

/// <summary>Generators and builders for compression test messages (0 B to 64 KiB).</summary>
public static class TestMessages
{
    private static readonly string[] Words =
    [
        "MESSAGE_CREATE", "GUILD_CREATE", "channel_id", "guild_id", "author", "content", "username", "avatar",
        "hello", "world", "true", "false", "null", "émoji 🎉", "\\u00e9", "discriminator", "0", "embeds",
    ];

    /// <summary>One message spec: mostly small, some medium, some up to 64 KiB.</summary>
    public static Gen<MessageSpec> Spec { get; } =
        Gen.Elements(MessageKind.RandomBytes, MessageKind.JsonLike, MessageKind.JsonLike, MessageKind.Repetitive)
            .SelectMany(_ => Gen.Frequency(
                (4, Gen.Choose(0, 64)),
                (4, Gen.Choose(65, 4096)),
                (2, Gen.Choose(4097, 64 * 1024))),
                (kind, size) => (kind, size))
            .SelectMany(_ => Gen.Choose(0, int.MaxValue), (ks, seed) => new MessageSpec(ks.kind, ks.size, seed));

    /// <summary>A connection's worth of messages: 1 to 8 of them.</summary>
    public static Arbitrary<MessageSpec[]> Sequences { get; } =
        Arb.From(Gen.Choose(1, 8).SelectMany(n => Spec.ArrayOf(n)));

    /// <summary>A single message.</summary>
    public static Arbitrary<MessageSpec> OneMessage { get; } = Arb.From(Spec);

    /// <summary>Builds exactly <paramref name="size"/> bytes of the given kind from <paramref name="seed"/>.</summary>
    public static byte[] Build(MessageKind kind, int size, int seed)
    {
        var random = new Random(seed);
        var bytes = new byte[size];
        switch (kind)
        {
            case MessageKind.RandomBytes:
                random.NextBytes(bytes);
                break;
            case MessageKind.Repetitive:
                byte value = (byte)random.Next(256);
                int period = random.Next(1, 17);
                for (int i = 0; i < size; i++)
                {
                    bytes[i] = (byte)(value + (i % period));
                }

                break;
            default:
                Json(random, size).AsSpan(0, size).CopyTo(bytes);
                break;
        }

        return bytes;
    }

    /// <summary>A gateway dispatch of roughly <paramref name="approxSize"/> bytes (for benchmarks and fixed tests).</summary>
    public static byte[] Dispatch(string eventName, int approxSize, int seed)
    {
        var random = new Random(seed);
        var sb = new StringBuilder(approxSize + 256);
        sb.Append("{\"t\":\"").Append(eventName).Append("\",\"s\":").Append(random.Next(1, 100000)).Append(",\"op\":0,\"d\":{\"items\":[");
        bool first = true;
        while (sb.Length < approxSize)
        {
            if (!first)
            {
                sb.Append(',');
            }

            first = false;
            AppendObject(random, sb);
        }

        sb.Append("]}}");
        return Encoding.UTF8.GetBytes(sb.ToString());
    }

    private static byte[] Json(Random random, int size)
    {
        var sb = new StringBuilder(size + 256);
        sb.Append("{\"t\":\"MESSAGE_CREATE\",\"s\":").Append(random.Next()).Append(",\"op\":0,\"d\":[");
        // UTF-8 is never shorter than the UTF-16 char count, so this yields at least `size` bytes.
        while (sb.Length < size)
        {
            AppendObject(random, sb);
            sb.Append(',');
        }

        return Encoding.UTF8.GetBytes(sb.ToString());
    }

    private static void AppendObject(Random random, StringBuilder sb)
    {
        sb.Append("{\"id\":\"").Append(random.NextInt64(100000000000000000, 999999999999999999)).Append("\",\"")
          .Append(Words[random.Next(Words.Length)]).Append("\":\"").Append(Words[random.Next(Words.Length)]).Append(' ')
          .Append(Words[random.Next(Words.Length)]).Append("\",\"n\":").Append(random.Next(1000)).Append('}');
    }
}
