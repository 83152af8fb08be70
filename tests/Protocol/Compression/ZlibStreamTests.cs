using System.Buffers;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using GatewayProxy.Protocol.Compression;
using Xunit;

namespace GatewayProxy.Tests.Protocol.Compression;

public class ZlibStreamTests
{
    private static readonly byte[] Suffix = [0x00, 0x00, 0xFF, 0xFF];

    /// <summary>Encodes each message with one connection encoder; returns one WebSocket message per payload.</summary>
    internal static List<byte[]> EncodeAll(IMessageEncoder encoder, IEnumerable<byte[]> messages)
    {
        var output = new ArrayBufferWriter<byte>();
        var encoded = new List<byte[]>();
        foreach (byte[] message in messages)
        {
            output.ResetWrittenCount();
            encoder.Encode(message, output);
            encoded.Add(output.WrittenSpan.ToArray());
        }

        return encoded;
    }

    [Property(MaxTest = 1000)]
    public Property Zlib_stream_round_trips_every_message_in_order_with_sync_flush_framing() =>
        Prop.ForAll(TestMessages.Sequences, Arb.From(Gen.Elements(1, 6, 9)), (specs, level) =>
        {
            byte[][] messages = [.. specs.Select(s => s.Build())];
            byte expectedFlags = level switch { 1 => 0x01, 6 => 0x9C, _ => 0xDA };
            using var encoder = new ZlibStreamEncoder(level);
            using var decoder = new ZlibStreamDecoder();
            List<byte[]> encoded = EncodeAll(encoder, messages);

            var output = new ArrayBufferWriter<byte>();
            for (int i = 0; i < messages.Length; i++)
            {
                byte[] wire = encoded[i];
                Assert.True(wire.AsSpan().EndsWith(Suffix), $"message {i} does not end with 00 00 ff ff");
                if (i == 0)
                {
                    Assert.Equal(0x78, wire[0]);
                    Assert.Equal(expectedFlags, wire[1]);
                }
                else
                {
                    // Later messages continue the deflate stream: a block header, never a zlib header again.
                    Assert.False(wire.Length >= 2 && wire[0] == 0x78 && wire[1] == expectedFlags, $"message {i} repeats the zlib header");
                }

                output.ResetWrittenCount();
                Assert.Equal(DecodeStatus.Complete, decoder.Decode(wire, output));
                Assert.Null(decoder.Error);
                Assert.Equal(messages[i], output.WrittenSpan.ToArray());
            }
        });

    [Property(MaxTest = 200)]
    public Property Zlib_payload_split_across_two_websocket_messages_needs_more_data_then_completes() =>
        Prop.ForAll(TestMessages.OneMessage, Arb.From(Gen.Choose(0, int.MaxValue)), (spec, cutSeed) =>
        {
            byte[] first = [.. "{\"t\":null,\"s\":null,\"op\":10,\"d\":{\"heartbeat_interval\":41250}}"u8];
            byte[] second = spec.Build();
            using var encoder = new ZlibStreamEncoder();
            using var decoder = new ZlibStreamDecoder();
            List<byte[]> wire = EncodeAll(encoder, [first, second]);
            var output = new ArrayBufferWriter<byte>();
            Assert.Equal(DecodeStatus.Complete, decoder.Decode(wire[0], output));

            // Cut anywhere that leaves the first part without the marker (the marker is the last 4 bytes).
            byte[] message = wire[1];
            int cut = cutSeed % (message.Length - 3);
            if (message.AsSpan(0, cut).EndsWith(Suffix))
            {
                cut--;
            }

            output.ResetWrittenCount();
            Assert.Equal(DecodeStatus.NeedMoreData, decoder.Decode(message.AsSpan(0, cut), output));
            Assert.Equal(DecodeStatus.Complete, decoder.Decode(message.AsSpan(cut), output));
            Assert.Equal(second, output.WrittenSpan.ToArray());
        });

    [Fact]
    public void Split_without_suffix_then_rest_gives_NeedMoreData_then_Complete()
    {
        byte[] payload = TestMessages.Dispatch("GUILD_CREATE", 20_000, seed: 7);
        using var encoder = new ZlibStreamEncoder();
        byte[] wire = EncodeAll(encoder, [payload])[0];
        using var decoder = new ZlibStreamDecoder();
        var output = new ArrayBufferWriter<byte>();

        Assert.Equal(DecodeStatus.NeedMoreData, decoder.Decode(wire.AsSpan(0, wire.Length - 4), output));
        Assert.Equal(0, output.WrittenCount);
        Assert.Equal(DecodeStatus.Complete, decoder.Decode(wire.AsSpan(wire.Length - 4), output));
        Assert.Equal(payload, output.WrittenSpan.ToArray());
    }

    [Fact]
    public void Corrupt_data_is_Invalid_with_a_reason_and_stays_Invalid()
    {
        using var decoder = new ZlibStreamDecoder();
        var output = new ArrayBufferWriter<byte>();
        byte[] corrupt = [0x78, 0x9C, 0xFF, 0xFF, 0xFF, 0x12, 0x34, 0x00, 0x00, 0xFF, 0xFF];

        Assert.Equal(DecodeStatus.Invalid, decoder.Decode(corrupt, output));
        string? reason = decoder.Error;
        Assert.False(string.IsNullOrEmpty(reason));

        using var encoder = new ZlibStreamEncoder();
        byte[] valid = EncodeAll(encoder, [[.. "{}"u8]])[0];
        Assert.Equal(DecodeStatus.Invalid, decoder.Decode(valid, output));
        Assert.Equal(reason, decoder.Error);
    }

    [Fact]
    public void Bad_zlib_header_is_Invalid()
    {
        using var decoder = new ZlibStreamDecoder();
        Assert.Equal(DecodeStatus.Invalid, decoder.Decode([0x12, 0x34, 0x00, 0x00, 0xFF, 0xFF], new ArrayBufferWriter<byte>()));
        Assert.Contains("zlib", decoder.Error, StringComparison.Ordinal);
    }

    [Property(MaxTest = 1000)]
    public Property Decoder_never_throws_on_arbitrary_bytes() =>
        Prop.ForAll(Arb.From(Gen.Choose(0, 255).Select(b => (byte)b).ArrayOf()), Arb.From(Gen.Elements(true, false)), (garbage, withSuffix) =>
        {
            using var decoder = new ZlibStreamDecoder(maxOutputBytes: 1 << 20);
            byte[] message = withSuffix ? [.. garbage, .. Suffix] : garbage;
            DecodeStatus status = decoder.Decode(message, new ArrayBufferWriter<byte>());
            Assert.Equal(status == DecodeStatus.Invalid, decoder.Error is not null);

            // A second call after whatever happened must not throw either.
            DecodeStatus again = decoder.Decode(message, new ArrayBufferWriter<byte>());
            Assert.True(status != DecodeStatus.Invalid || again == DecodeStatus.Invalid);
        });

    [Theory]
    [InlineData(0, DecodeStatus.Complete)]
    [InlineData(1, DecodeStatus.Invalid)]
    public void Output_limit_is_enforced_to_the_byte(int overBy, DecodeStatus expected)
    {
        byte[] payload = new byte[100_000];
        using var encoder = new ZlibStreamEncoder();
        byte[] wire = EncodeAll(encoder, [payload])[0];
        using var decoder = new ZlibStreamDecoder(maxOutputBytes: payload.Length - overBy);

        Assert.Equal(expected, decoder.Decode(wire, new ArrayBufferWriter<byte>()));
        if (expected == DecodeStatus.Invalid)
        {
            Assert.Contains("too large", decoder.Error, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Buffered_split_input_over_the_limit_is_Invalid()
    {
        using var decoder = new ZlibStreamDecoder(maxOutputBytes: 1000);
        var output = new ArrayBufferWriter<byte>();
        byte[] chunk = new byte[600];
        chunk[0] = 0x78;
        chunk[1] = 0x9C;

        Assert.Equal(DecodeStatus.NeedMoreData, decoder.Decode(chunk, output));
        Assert.Equal(DecodeStatus.Invalid, decoder.Decode(chunk, output));
        Assert.Contains("too large", decoder.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Data_after_a_finished_stream_is_Invalid()
    {
        var finished = new ArrayBufferWriter<byte>();
        ZlibPayload.Compress("{\"op\":11}"u8, finished);
        byte[] wire = [.. finished.WrittenSpan, 0x00, 0x00, 0xFF, 0xFF];
        using var decoder = new ZlibStreamDecoder();

        Assert.Equal(DecodeStatus.Invalid, decoder.Decode(wire, new ArrayBufferWriter<byte>()));
        Assert.NotNull(decoder.Error);
    }

    [Fact]
    public void Empty_messages_still_end_with_the_sync_flush_marker()
    {
        using var encoder = new ZlibStreamEncoder();
        List<byte[]> wire = EncodeAll(encoder, [[], [], [.. "x"u8], [], []]);
        Assert.All(wire, w => Assert.True(w.AsSpan().EndsWith(Suffix)));
        Assert.Equal(0x78, wire[0][0]);
    }
}
