using System.Buffers;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using GatewayProxy.Protocol.Compression;
using Xunit;

namespace GatewayProxy.Tests.Protocol.Compression;

public class ZstdStreamTests
{
    private static readonly byte[] Magic = [0x28, 0xB5, 0x2F, 0xFD];

    [Property(MaxTest = 1000)]
    public Property Zstd_stream_round_trips_every_message_in_order_in_one_open_frame() =>
        Prop.ForAll(TestMessages.Sequences, Arb.From(Gen.Elements(1, 3, 9)), (specs, level) =>
        {
            byte[][] messages = [.. specs.Select(s => s.Build())];
            using var encoder = new ZstdStreamEncoder(level);
            using var decoder = new ZstdStreamDecoder();
            List<byte[]> encoded = ZlibStreamTests.EncodeAll(encoder, messages);

            // zstd writes nothing for an empty message; the first message with bytes opens the frame.
            int firstWithBytes = encoded.FindIndex(e => e.Length > 0);
            var output = new ArrayBufferWriter<byte>();
            for (int i = 0; i < messages.Length; i++)
            {
                byte[] wire = encoded[i];
                Assert.True(messages[i].Length == 0 || wire.Length > 0, $"message {i} encoded to nothing");
                if (i == firstWithBytes)
                {
                    Assert.True(wire.AsSpan().StartsWith(Magic), "first message does not start with the zstd magic");
                }
                else if (wire.Length >= 4)
                {
                    Assert.False(wire.AsSpan().StartsWith(Magic), $"message {i} starts a new frame");
                }

                output.ResetWrittenCount();
                Assert.Equal(DecodeStatus.Complete, decoder.Decode(wire, output));
                Assert.Null(decoder.Error);
                Assert.Equal(messages[i], output.WrittenSpan.ToArray());
            }
        });

    [Fact]
    public void Many_empty_messages_in_a_row_do_not_fail_a_healthy_stream()
    {
        // Found by AFL++ (fuzz/regressions/zstd-stream): zstd fails a stream after 16 calls without progress, and an
        // empty message is one (the encoder writes nothing for an empty payload, so this is a real wire shape).
        using var encoder = new ZstdStreamEncoder();
        using var decoder = new ZstdStreamDecoder();
        var output = new ArrayBufferWriter<byte>();
        Assert.Equal(DecodeStatus.Complete, decoder.Decode(ZlibStreamTests.EncodeAll(encoder, [[.. "{\"op\":11}"u8]])[0], output));
        for (int i = 0; i < 40; i++)
        {
            Assert.Equal(DecodeStatus.Complete, decoder.Decode(ZlibStreamTests.EncodeAll(encoder, [[]])[0], output));
        }

        output.ResetWrittenCount();
        Assert.Equal(DecodeStatus.Complete, decoder.Decode(ZlibStreamTests.EncodeAll(encoder, [[.. "{\"op\":1}"u8]])[0], output));
        Assert.Null(decoder.Error);
        Assert.Equal("{\"op\":1}"u8.ToArray(), output.WrittenSpan.ToArray());
    }

    [Fact]
    public void Corrupt_data_is_Invalid_with_a_reason_and_stays_Invalid()
    {
        using var decoder = new ZstdStreamDecoder();
        var output = new ArrayBufferWriter<byte>();

        Assert.Equal(DecodeStatus.Invalid, decoder.Decode([0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08], output));
        string? reason = decoder.Error;
        Assert.StartsWith("zstd:", reason, StringComparison.Ordinal);

        using var encoder = new ZstdStreamEncoder();
        byte[] valid = ZlibStreamTests.EncodeAll(encoder, [[.. "{}"u8]])[0];
        Assert.Equal(DecodeStatus.Invalid, decoder.Decode(valid, output));
        Assert.Equal(reason, decoder.Error);
    }

    [Fact]
    public void Corrupt_block_after_a_valid_message_is_Invalid()
    {
        byte[] payload = TestMessages.Dispatch("MESSAGE_CREATE", 2000, seed: 3);
        using var encoder = new ZstdStreamEncoder();
        List<byte[]> wire = ZlibStreamTests.EncodeAll(encoder, [payload, payload]);
        using var decoder = new ZstdStreamDecoder();
        Assert.Equal(DecodeStatus.Complete, decoder.Decode(wire[0], new ArrayBufferWriter<byte>()));

        // A block header claiming a reserved block type (3) is always rejected.
        byte[] bad = [0x07, 0x00, 0x00, .. wire[1]];
        Assert.Equal(DecodeStatus.Invalid, decoder.Decode(bad, new ArrayBufferWriter<byte>()));
        Assert.NotNull(decoder.Error);
    }

    [Property(MaxTest = 1000)]
    public Property Decoder_never_throws_on_arbitrary_bytes() =>
        Prop.ForAll(Arb.From(Gen.Choose(0, 255).Select(b => (byte)b).ArrayOf()), Arb.From(Gen.Elements(true, false)), (garbage, withMagic) =>
        {
            using var decoder = new ZstdStreamDecoder(maxOutputBytes: 1 << 20);
            byte[] message = withMagic ? [.. Magic, .. garbage] : garbage;
            DecodeStatus status = decoder.Decode(message, new ArrayBufferWriter<byte>());
            Assert.NotEqual(DecodeStatus.NeedMoreData, status);
            Assert.Equal(status == DecodeStatus.Invalid, decoder.Error is not null);
            DecodeStatus again = decoder.Decode(message, new ArrayBufferWriter<byte>());
            Assert.True(status != DecodeStatus.Invalid || again == DecodeStatus.Invalid);
        });

    [Theory]
    [InlineData(0, DecodeStatus.Complete)]
    [InlineData(1, DecodeStatus.Invalid)]
    public void Output_limit_is_enforced_to_the_byte(int overBy, DecodeStatus expected)
    {
        byte[] payload = new byte[100_000];
        using var encoder = new ZstdStreamEncoder();
        byte[] wire = ZlibStreamTests.EncodeAll(encoder, [payload])[0];
        using var decoder = new ZstdStreamDecoder(maxOutputBytes: payload.Length - overBy);

        Assert.Equal(expected, decoder.Decode(wire, new ArrayBufferWriter<byte>()));
        if (expected == DecodeStatus.Invalid)
        {
            Assert.Contains("too large", decoder.Error, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData(0)]
    [InlineData(17)]
    [InlineData(23)]
    public void Any_window_log_round_trips(int windowLog)
    {
        byte[][] messages = [TestMessages.Dispatch("GUILD_CREATE", 100_000, 1), TestMessages.Dispatch("MESSAGE_CREATE", 2_000, 2)];
        using var encoder = new ZstdStreamEncoder(3, windowLog);
        using var decoder = new ZstdStreamDecoder();
        var output = new ArrayBufferWriter<byte>();
        foreach (byte[] wire in ZlibStreamTests.EncodeAll(encoder, messages))
        {
            Assert.Equal(DecodeStatus.Complete, decoder.Decode(wire, output));
        }

        Assert.Equal(messages[0].Concat(messages[1]).ToArray(), output.WrittenSpan.ToArray());
    }
}
