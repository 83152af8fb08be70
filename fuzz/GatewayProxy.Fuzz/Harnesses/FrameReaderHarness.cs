using System.Buffers;
using System.Buffers.Binary;
using System.Text.Unicode;
using GatewayProxy.Protocol.WebSockets;

namespace GatewayProxy.Fuzz.Harnesses;

/// <summary>
/// Fuzzes <see cref="WebSocketMessageReader"/>. Input: byte 0 = options (bit 0 client role, bit 1 no UTF-8 validation,
/// bit 2 reject non-minimal lengths, bit 3 tiny message limit), byte 1 = chunking seed, then the raw byte stream.
/// </summary>
/// <remarks>
/// Oracles: the stream fed whole (one segment) and fed in small chunks across several segments must produce the same
/// messages, control frames and error; each reported message and control frame must satisfy RFC 6455 (opcode, sizes,
/// valid UTF-8 for validated text, close payload shape); every report must consume input; an error must stick.
/// </remarks>
public static class FrameReaderHarness
{
    private const int SmallLimit = 64;
    private const int LargeLimit = 1 << 16;

    /// <summary>Runs one input.</summary>
    public static void Run(ReadOnlySpan<byte> input)
    {
        if (input.Length < 2)
        {
            return;
        }

        byte options = input[0];
        byte seed = input[1];
        byte[] stream = input[2..].ToArray();
        CheckUtf8Validator(stream, seed);
        ulong whole = Feed(options, stream, chunkSeed: -1);
        ulong chunked = Feed(options, stream, seed);
        FuzzFailureException.Check(whole == chunked, "whole and chunked feeding disagree");
    }

    /// <summary>
    /// The reader's streaming UTF-8 validator, fed the same bytes in seeded chunks, must agree with the runtime's
    /// validator both ways: a false accept lets bad text through, a false reject cuts a good client.
    /// </summary>
    private static void CheckUtf8Validator(byte[] bytes, byte seed)
    {
        var validator = default(Utf8StreamValidator);
        bool valid = true;
        int step = 1 + (seed % 5);
        for (int offset = 0; offset < bytes.Length && valid; offset += step)
        {
            valid = validator.Append(bytes.AsSpan(offset, Math.Min(step, bytes.Length - offset)));
        }

        valid &= validator.IsComplete;
        FuzzFailureException.Check(valid == Utf8.IsValid(bytes), $"streaming UTF-8 validator says {valid}, Utf8.IsValid says {!valid}");
    }

    private static WebSocketMessageReader CreateReader(byte options, out int limit)
    {
        var role = (options & 1) == 0 ? WebSocketRole.Server : WebSocketRole.Client;
        limit = (options & 8) == 0 ? LargeLimit : SmallLimit;
        return new WebSocketMessageReader(role, limit, validateUtf8: (options & 2) == 0)
        {
            RejectNonMinimalLengths = (options & 4) != 0,
        };
    }

    /// <summary>Feeds the stream whole (chunkSeed &lt; 0) or in seeded small chunks, and hashes everything reported.</summary>
    private static ulong Feed(byte options, byte[] stream, int chunkSeed)
    {
        WebSocketMessageReader reader = CreateReader(options, out int limit);
        var sink = new ArrayBufferWriter<byte>();
        FuzzHash hash = FuzzHash.Create();
        uint rng = (uint)chunkSeed * 2654435761u + 1;
        int start = 0;
        int end = 0;
        while (end < stream.Length)
        {
            if (chunkSeed < 0)
            {
                end = stream.Length;
            }
            else
            {
                rng = (rng * 1103515245u) + 12345u;
                end = Math.Min(stream.Length, end + 1 + (int)((rng >> 16) % 23));
            }

            int segment = chunkSeed < 0 ? int.MaxValue : 1 + (int)((rng >> 8) % 7);
            ReadOnlySequence<byte> pending = Segments.Split(stream.AsMemory(start, end - start), segment);
            if (!Drain(reader, ref pending, sink, options, limit, ref hash))
            {
                return hash.Value;
            }

            start = end - (int)pending.Length;
        }

        hash.Add(4);
        hash.Add(end - start);
        hash.Add(reader.IsInMessage ? 1 : 0);
        return hash.Value;
    }

    /// <summary>Reads until more data is needed (true) or an error (false).</summary>
    private static bool Drain(WebSocketMessageReader reader, ref ReadOnlySequence<byte> pending, ArrayBufferWriter<byte> sink, byte options, int limit, ref FuzzHash hash)
    {
        while (true)
        {
            long before = pending.Length;
            WebSocketReadStatus status = reader.TryRead(ref pending, sink);
            FuzzFailureException.Check(pending.Length <= before, "reader grew its input");
            switch (status)
            {
                case WebSocketReadStatus.NeedMoreData:
                    return true;
                case WebSocketReadStatus.Message:
                    FuzzFailureException.Check(pending.Length < before, "a message was reported without consuming input");
                    CheckMessage(reader, sink, options, limit);
                    hash.Add(1);
                    hash.Add((long)reader.MessageOpcode);
                    hash.Add(sink.WrittenSpan);
                    sink.ResetWrittenCount();
                    break;
                case WebSocketReadStatus.Control:
                    FuzzFailureException.Check(pending.Length < before, "a control frame was reported without consuming input");
                    CheckControl(reader);
                    hash.Add(2);
                    hash.Add((long)reader.ControlOpcode);
                    hash.Add(reader.ControlPayload);
                    break;
                case WebSocketReadStatus.Error:
                    FuzzFailureException.Check(reader.Error != WebSocketError.None, "Error status without an error");
                    ReadOnlySequence<byte> again = pending;
                    FuzzFailureException.Check(reader.TryRead(ref again, sink) == WebSocketReadStatus.Error, "error did not stick");
                    hash.Add(3);
                    hash.Add((long)reader.Error);
                    return false;
                default:
                    throw new FuzzFailureException("unknown status " + status);
            }
        }
    }

    private static void CheckMessage(WebSocketMessageReader reader, ArrayBufferWriter<byte> sink, byte options, int limit)
    {
        FuzzFailureException.Check(reader.MessageOpcode is WebSocketOpcode.Text or WebSocketOpcode.Binary, "message opcode is not data");
        FuzzFailureException.Check(reader.MessageLength == sink.WrittenCount, "MessageLength differs from the bytes written");
        FuzzFailureException.Check(reader.MessageLength <= limit, "message larger than the limit");
        FuzzFailureException.Check(!reader.IsInMessage, "still in a message after reporting it");
        if (reader.MessageOpcode == WebSocketOpcode.Text && (options & 2) == 0)
        {
            FuzzFailureException.Check(Utf8.IsValid(sink.WrittenSpan), "validated text message is not UTF-8");
        }
    }

    private static void CheckControl(WebSocketMessageReader reader)
    {
        ReadOnlySpan<byte> payload = reader.ControlPayload;
        FuzzFailureException.Check(reader.ControlOpcode is WebSocketOpcode.Close or WebSocketOpcode.Ping or WebSocketOpcode.Pong, "control opcode is not a control");
        FuzzFailureException.Check(payload.Length <= WebSocketFrameWriter.MaxControlPayload, "control payload over 125 bytes");
        if (reader.ControlOpcode == WebSocketOpcode.Close)
        {
            FuzzFailureException.Check(payload.Length != 1, "one-byte close payload accepted");
            FuzzFailureException.Check(payload.Length < 2 || WebSocketCloseCodes.IsValidOnWire(BinaryPrimitives.ReadUInt16BigEndian(payload)), "invalid close code accepted");
            FuzzFailureException.Check(payload.Length < 2 || Utf8.IsValid(payload[2..]), "close reason is not UTF-8");
        }
    }
}
