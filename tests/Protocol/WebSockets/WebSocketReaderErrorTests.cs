using System.Buffers;
using System.Buffers.Binary;
using System.Text;
using GatewayProxy.Protocol.WebSockets;
using Xunit;

namespace GatewayProxy.Tests.Protocol.WebSockets;

public class WebSocketReaderErrorTests
{
    private static readonly byte[] NoLength = [];

    private static void AssertError(WebSocketMessageReader reader, WebSocketError expected, ushort closeCode, params byte[][] frames)
    {
        var sink = new ArrayBufferWriter<byte>();
        List<WebSocketReadStatus> statuses = Frames.ReadAll(reader, sink, frames);
        Assert.Equal(WebSocketReadStatus.Error, statuses[^1]);
        Assert.Equal(expected, reader.Error);
        Assert.Equal(closeCode, WebSocketErrors.ToCloseCode(reader.Error));
        Assert.False(string.IsNullOrEmpty(WebSocketErrors.Describe(reader.Error)));
    }

    private static WebSocketMessageReader Server(int max = 1 << 20) => new(WebSocketRole.Server, max);

    [Theory]
    [InlineData(0xC1)] // RSV1
    [InlineData(0xA1)] // RSV2
    [InlineData(0x91)] // RSV3
    public void Reserved_bits_are_a_protocol_error(byte b0) =>
        AssertError(Server(), WebSocketError.ReservedBitsSet, 1002, Frames.Raw(b0, 0x82, NoLength, "hi"u8));

    [Theory]
    [InlineData(3)]
    [InlineData(7)]
    [InlineData(11)]
    [InlineData(15)]
    public void Reserved_opcodes_are_a_protocol_error(byte opcode) =>
        AssertError(Server(), WebSocketError.ReservedOpcode, 1002, Frames.Raw((byte)(0x80 | opcode), 0x80, NoLength, []));

    [Fact]
    public void Server_rejects_an_unmasked_client_frame() =>
        AssertError(Server(), WebSocketError.UnmaskedClientFrame, 1002, Frames.Build(WebSocketOpcode.Text, "hello"u8, mask: null));

    [Fact]
    public void Client_rejects_a_masked_server_frame() =>
        AssertError(new WebSocketMessageReader(WebSocketRole.Client, 1000), WebSocketError.MaskedServerFrame, 1002, Frames.Build(WebSocketOpcode.Text, "hello"u8));

    [Fact]
    public void Control_frame_without_fin_is_a_protocol_error() =>
        AssertError(Server(), WebSocketError.FragmentedControlFrame, 1002, Frames.Raw(0x09, 0x82, NoLength, "hi"u8));

    [Fact]
    public void Control_frame_over_125_bytes_is_rejected_from_its_first_two_bytes()
    {
        // Only the first two bytes are present: the error must not wait for the extended length.
        AssertError(Server(), WebSocketError.ControlFrameTooLong, 1002, [0x89, 0x80 | 126]);
    }

    [Fact]
    public void Continuation_without_a_message_is_a_protocol_error() =>
        AssertError(Server(), WebSocketError.UnexpectedContinuation, 1002, Frames.Build(WebSocketOpcode.Continuation, "x"u8));

    [Fact]
    public void New_data_frame_inside_a_fragmented_message_is_a_protocol_error() =>
        AssertError(Server(), WebSocketError.ExpectedContinuation, 1002,
            Frames.Build(WebSocketOpcode.Text, "ab"u8, fin: false), Frames.Build(WebSocketOpcode.Binary, "cd"u8));

    [Fact]
    public void Single_frame_over_the_limit_is_too_big() =>
        AssertError(Server(100), WebSocketError.MessageTooBig, 1009, Frames.Build(WebSocketOpcode.Binary, new byte[101]));

    [Fact]
    public void Fragments_adding_up_over_the_limit_are_too_big()
    {
        var reader = Server(100);
        var sink = new ArrayBufferWriter<byte>();
        List<WebSocketReadStatus> statuses = Frames.ReadAll(reader, sink,
            Frames.Build(WebSocketOpcode.Binary, new byte[60], fin: false), Frames.Build(WebSocketOpcode.Continuation, new byte[41]));
        Assert.Equal([WebSocketReadStatus.Error], statuses);
        Assert.Equal(WebSocketError.MessageTooBig, reader.Error);
        Assert.Equal(1009, WebSocketErrors.ToCloseCode(reader.Error));
        Assert.Equal(60, sink.WrittenCount); // the first fragment streamed, the second never reached the sink
    }

    [Fact]
    public void Huge_declared_length_is_too_big_before_any_payload_arrives()
    {
        byte[] length = new byte[8];
        BinaryPrimitives.WriteUInt64BigEndian(length, 1UL << 40);
        AssertError(Server(), WebSocketError.MessageTooBig, 1009, Frames.Raw(0x82, 0x80 | 127, length, []));
    }

    [Fact]
    public void Message_of_exactly_the_limit_is_accepted()
    {
        var reader = Server(100);
        var sink = new ArrayBufferWriter<byte>();
        var input = new ReadOnlySequence<byte>([.. Frames.Build(WebSocketOpcode.Binary, new byte[60], fin: false), .. Frames.Build(WebSocketOpcode.Continuation, new byte[40])]);
        Assert.Equal(WebSocketReadStatus.Message, reader.TryRead(ref input, sink));
        Assert.Equal(100, reader.MessageLength);
        Assert.Equal(100, sink.WrittenCount);
        Assert.True(input.IsEmpty);
    }

    [Theory]
    [InlineData(new byte[] { 0xFF })]
    [InlineData(new byte[] { 0xC0, 0x80 })] // overlong NUL
    [InlineData(new byte[] { 0xED, 0xA0, 0x80 })] // UTF-16 surrogate
    [InlineData(new byte[] { 0xF4, 0x90, 0x80, 0x80 })] // above U+10FFFF
    [InlineData(new byte[] { 0x61, 0xE2, 0x82 })] // truncated at the end of the message
    public void Invalid_utf8_text_is_rejected_with_1007(byte[] payload) =>
        AssertError(Server(), WebSocketError.InvalidUtf8, 1007, Frames.Build(WebSocketOpcode.Text, payload));

    [Fact]
    public void Invalid_utf8_fails_fast_before_the_frame_is_complete()
    {
        var reader = Server();
        var sink = new ArrayBufferWriter<byte>();
        byte[] frame = Frames.Build(WebSocketOpcode.Text, [0x61, 0xFF, 0x62, 0x63, 0x64]);
        var input = new ReadOnlySequence<byte>(frame.AsMemory(0, frame.Length - 2));
        Assert.Equal(WebSocketReadStatus.Error, reader.TryRead(ref input, sink));
        Assert.Equal(WebSocketError.InvalidUtf8, reader.Error);
    }

    [Fact]
    public void Code_point_split_across_fragments_is_valid_but_a_truncated_one_is_not()
    {
        byte[] euro = Encoding.UTF8.GetBytes("a€b"); // 61 E2 82 AC 62
        var reader = Server();
        var sink = new ArrayBufferWriter<byte>();
        List<WebSocketReadStatus> ok = Frames.ReadAll(reader, sink,
            Frames.Build(WebSocketOpcode.Text, euro.AsSpan(0, 2), fin: false),
            Frames.Build(WebSocketOpcode.Continuation, euro.AsSpan(2, 1), fin: false),
            Frames.Build(WebSocketOpcode.Continuation, euro.AsSpan(3)));
        Assert.Equal(WebSocketReadStatus.Message, ok[0]);
        Assert.Equal("a€b", Encoding.UTF8.GetString(sink.WrittenSpan));

        AssertError(Server(), WebSocketError.InvalidUtf8, 1007,
            Frames.Build(WebSocketOpcode.Text, euro.AsSpan(0, 2), fin: false), Frames.Build(WebSocketOpcode.Continuation, "b"u8));
    }

    [Fact]
    public void Utf8_validation_can_be_turned_off_and_never_applies_to_binary()
    {
        var lenient = new WebSocketMessageReader(WebSocketRole.Server, 100, validateUtf8: false);
        Assert.Equal(WebSocketReadStatus.Message, Frames.ReadAll(lenient, new ArrayBufferWriter<byte>(), Frames.Build(WebSocketOpcode.Text, [0xFF]))[0]);
        Assert.Equal(WebSocketReadStatus.Message, Frames.ReadAll(Server(), new ArrayBufferWriter<byte>(), Frames.Build(WebSocketOpcode.Binary, [0xFF]))[0]);
    }

    [Fact]
    public void Close_reason_with_invalid_utf8_is_rejected_with_1007() =>
        AssertError(Server(), WebSocketError.InvalidUtf8, 1007, Frames.Build(WebSocketOpcode.Close, [0x03, 0xE8, 0xFF]));

    [Fact]
    public void One_byte_close_payload_is_a_protocol_error() =>
        AssertError(Server(), WebSocketError.InvalidClosePayload, 1002, Frames.Build(WebSocketOpcode.Close, [0x03]));

    [Theory]
    [InlineData(0)]
    [InlineData(999)]
    [InlineData(1004)]
    [InlineData(1005)]
    [InlineData(1006)]
    [InlineData(1015)]
    [InlineData(1016)]
    [InlineData(2999)]
    [InlineData(5000)]
    [InlineData(65535)]
    public void Close_codes_that_may_not_be_sent_are_a_protocol_error(int code)
    {
        byte[] payload = new byte[2];
        BinaryPrimitives.WriteUInt16BigEndian(payload, (ushort)code);
        AssertError(Server(), WebSocketError.InvalidClosePayload, 1002, Frames.Build(WebSocketOpcode.Close, payload));
        Assert.False(WebSocketMessageReader.TryParseClosePayload(payload, out _, out _));
    }

    [Fact]
    public void Non_minimal_lengths_are_accepted_by_default_and_rejected_when_asked()
    {
        byte[] length16 = [0, 5];
        byte[] length64 = [0, 0, 0, 0, 0, 0, 0x03, 0xE8];
        byte[] short16 = Frames.Raw(0x82, 0x80 | 126, length16, "hello"u8);
        byte[] short64 = Frames.Raw(0x82, 0x80 | 127, length64, new byte[1000]);

        var lenient = Server();
        var sink = new ArrayBufferWriter<byte>();
        Assert.Equal(WebSocketReadStatus.Message, Frames.ReadAll(lenient, sink, short16)[0]);
        Assert.Equal("hello"u8.ToArray(), sink.WrittenSpan.ToArray());
        Assert.Equal(WebSocketReadStatus.Message, Frames.ReadAll(lenient, new ArrayBufferWriter<byte>(), short64)[0]);

        AssertError(new WebSocketMessageReader(WebSocketRole.Server, 1 << 20) { RejectNonMinimalLengths = true }, WebSocketError.NonMinimalLength, 1002, short16);
        AssertError(new WebSocketMessageReader(WebSocketRole.Server, 1 << 20) { RejectNonMinimalLengths = true }, WebSocketError.NonMinimalLength, 1002, short64);
    }

    [Fact]
    public void Length_with_the_most_significant_bit_set_is_a_protocol_error() =>
        AssertError(new WebSocketMessageReader(WebSocketRole.Server, int.MaxValue), WebSocketError.LengthTooLarge, 1002,
            Frames.Raw(0x82, 0x80 | 127, [0x80, 0, 0, 0, 0, 0, 0, 1], []));

    [Fact]
    public void Dead_reader_repeats_its_error_without_consuming_and_reset_revives_it()
    {
        var reader = Server();
        var sink = new ArrayBufferWriter<byte>();
        var bad = new ReadOnlySequence<byte>(Frames.Build(WebSocketOpcode.Text, "x"u8, mask: null));
        Assert.Equal(WebSocketReadStatus.Error, reader.TryRead(ref bad, sink));

        var good = new ReadOnlySequence<byte>(Frames.Build(WebSocketOpcode.Text, "ok"u8));
        long before = good.Length;
        Assert.Equal(WebSocketReadStatus.Error, reader.TryRead(ref good, sink));
        Assert.Equal(WebSocketError.UnmaskedClientFrame, reader.Error);
        Assert.Equal(before, good.Length);

        reader.Reset();
        Assert.Equal(WebSocketError.None, reader.Error);
        Assert.Equal(WebSocketReadStatus.Message, reader.TryRead(ref good, sink));
        Assert.Equal("ok"u8.ToArray(), sink.WrittenSpan.ToArray());
    }

    [Fact]
    public void None_maps_to_normal_closure() => Assert.Equal(1000, WebSocketErrors.ToCloseCode(WebSocketError.None));
}
