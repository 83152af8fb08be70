using System.Buffers;
using GatewayProxy.Protocol.Compression;

namespace GatewayProxy.Fuzz.Harnesses;

/// <summary>
/// Fuzzes the transport decoders. Input: byte 0 = options (bit 0 round trip instead of raw, bits 1–3 encoder level,
/// bit 4 corrupt one encoded byte, bit 5 split each encoded message in two), byte 1 = split/corruption seed, then
/// messages as [length byte][bytes]… (compressed data in raw mode, plaintext in round-trip mode).
/// </summary>
/// <remarks>
/// Oracles: a decoder never throws on data; Invalid comes with an error and sticks; no payload exceeds the limit; an
/// uncorrupted round trip gives back exactly the plaintext, message boundaries aside (a split may complete early).
/// </remarks>
public static class CompressionHarness
{
    private const int OutputLimit = 1 << 20;

    /// <summary>Runs one input against zlib-stream.</summary>
    public static void RunZlib(ReadOnlySpan<byte> input) => Run(input, zstd: false);

    /// <summary>Runs one input against zstd-stream.</summary>
    public static void RunZstd(ReadOnlySpan<byte> input) => Run(input, zstd: true);

    private static void Run(ReadOnlySpan<byte> input, bool zstd)
    {
        if (input.Length < 2)
        {
            return;
        }

        byte options = input[0];
        byte seed = input[1];
        List<byte[]> messages = SplitMessages(input[2..]);
        using IMessageDecoder decoder = zstd ? new ZstdStreamDecoder(OutputLimit) : new ZlibStreamDecoder(OutputLimit);
        if ((options & 1) == 0)
        {
            var sink = new ArrayBufferWriter<byte>();
            foreach (byte[] message in messages)
            {
                if (!Decode(decoder, message, sink))
                {
                    return;
                }
            }

            return;
        }

        RoundTrip(decoder, messages, options, seed, zstd);
    }

    private static void RoundTrip(IMessageDecoder decoder, List<byte[]> plaintext, byte options, byte seed, bool zstd)
    {
        int level = (options >> 1) & 7;
        bool corrupt = (options & 16) != 0;
        bool split = (options & 32) != 0;
        using IMessageEncoder encoder = zstd ? new ZstdStreamEncoder(level == 0 ? 1 : level, 10) : new ZlibStreamEncoder(level);
        var encoded = new ArrayBufferWriter<byte>();
        var decoded = new ArrayBufferWriter<byte>();
        var expected = new ArrayBufferWriter<byte>();
        int index = 0;
        foreach (byte[] message in plaintext)
        {
            expected.Write(message);
            encoded.ResetWrittenCount();
            encoder.Encode(message, encoded);
            byte[] wire = encoded.WrittenSpan.ToArray();
            if (corrupt && index == seed % Math.Max(1, plaintext.Count) && wire.Length > 0)
            {
                wire[(seed * 7) % wire.Length] ^= (byte)(1 + (seed >> 3));
            }

            int cut = split && wire.Length > 1 ? 1 + (seed % (wire.Length - 1)) : wire.Length;
            if (!Decode(decoder, wire.AsSpan(0, cut), decoded) || !Decode(decoder, wire.AsSpan(cut), decoded))
            {
                FuzzFailureException.Check(corrupt, "round trip: an untouched stream was rejected: " + decoder.Error);
                return;
            }

            index++;
        }

        if (!corrupt)
        {
            FuzzFailureException.Check(decoded.WrittenSpan.SequenceEqual(expected.WrittenSpan), "round trip: decoded bytes differ from the plaintext");
        }
    }

    /// <summary>Feeds one message; false once the decoder reported Invalid.</summary>
    private static bool Decode(IMessageDecoder decoder, ReadOnlySpan<byte> message, ArrayBufferWriter<byte> sink)
    {
        int before = sink.WrittenCount;
        DecodeStatus status = decoder.Decode(message, sink);
        int written = sink.WrittenCount - before;
        FuzzFailureException.Check(written <= OutputLimit + 1, "decoder wrote past its output limit");
        switch (status)
        {
            case DecodeStatus.Complete:
                FuzzFailureException.Check(decoder.Error is null, "Complete with an error set");
                return true;
            case DecodeStatus.NeedMoreData:
                FuzzFailureException.Check(decoder.Error is null && written == 0, "NeedMoreData with output or an error");
                return true;
            case DecodeStatus.Invalid:
                FuzzFailureException.Check(decoder.Error is not null, "Invalid without an error");
                int after = sink.WrittenCount;
                FuzzFailureException.Check(decoder.Decode(message, sink) == DecodeStatus.Invalid && sink.WrittenCount == after, "Invalid did not stick");
                return false;
            default:
                throw new FuzzFailureException("unknown decode status " + status);
        }
    }

    /// <summary>Cuts [length][bytes]… into messages; a short last message takes what is left.</summary>
    private static List<byte[]> SplitMessages(ReadOnlySpan<byte> data)
    {
        var messages = new List<byte[]>();
        while (!data.IsEmpty)
        {
            int length = Math.Min(data[0], data.Length - 1);
            messages.Add(data.Slice(1, length).ToArray());
            data = data[(1 + length)..];
        }

        return messages;
    }
}
