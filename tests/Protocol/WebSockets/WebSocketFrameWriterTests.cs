using System.Buffers;
using System.Text;
using GatewayProxy.Protocol.WebSockets;
using Xunit;

namespace GatewayProxy.Tests.Protocol.WebSockets;

public class WebSocketFrameWriterTests
{
    [Fact]
    public void Writes_the_rfc6455_unmasked_hello_example() =>
        Assert.Equal(new byte[] { 0x81, 0x05, 0x48, 0x65, 0x6c, 0x6c, 0x6f }, Frames.Build(WebSocketOpcode.Text, "Hello"u8, mask: null));

    [Fact]
    public void Writes_the_rfc6455_masked_hello_example_and_leaves_the_payload_untouched()
    {
        byte[] payload = "Hello"u8.ToArray();
        Assert.Equal(new byte[] { 0x81, 0x85, 0x37, 0xfa, 0x21, 0x3d, 0x7f, 0x9f, 0x4d, 0x51, 0x58 }, Frames.Build(WebSocketOpcode.Text, payload, mask: 0x37fa213d));
        Assert.Equal("Hello"u8.ToArray(), payload);
    }

    [Fact]
    public void Writes_the_rfc6455_fragmented_text_example()
    {
        Assert.Equal(new byte[] { 0x01, 0x03, 0x48, 0x65, 0x6c }, Frames.Build(WebSocketOpcode.Text, "Hel"u8, fin: false, mask: null));
        Assert.Equal(new byte[] { 0x80, 0x02, 0x6c, 0x6f }, Frames.Build(WebSocketOpcode.Continuation, "lo"u8, mask: null));
    }

    [Theory]
    [InlineData(0L, new byte[] { 0x82, 0x00 })]
    [InlineData(125L, new byte[] { 0x82, 0x7D })]
    [InlineData(126L, new byte[] { 0x82, 0x7E, 0x00, 0x7E })]
    [InlineData(256L, new byte[] { 0x82, 0x7E, 0x01, 0x00 })]
    [InlineData(65535L, new byte[] { 0x82, 0x7E, 0xFF, 0xFF })]
    [InlineData(65536L, new byte[] { 0x82, 0x7F, 0, 0, 0, 0, 0, 0x01, 0x00, 0x00 })]
    public void Header_uses_the_minimal_length_encoding(long length, byte[] expected)
    {
        Span<byte> header = stackalloc byte[WebSocketFrameWriter.MaxHeaderSize];
        int size = WebSocketFrameWriter.WriteHeader(header, WebSocketOpcode.Binary, true, length);
        Assert.Equal(expected, header[..size].ToArray());
        Assert.Equal(size, WebSocketFrameWriter.GetHeaderSize(length, masked: false));

        int maskedSize = WebSocketFrameWriter.WriteHeader(header, WebSocketOpcode.Binary, true, length, 0x01020304);
        Assert.Equal(size + 4, maskedSize);
        Assert.Equal(new byte[] { 1, 2, 3, 4 }, header[size..maskedSize].ToArray());
        Assert.Equal(0x80, header[1] & 0x80);
    }

    [Fact]
    public void Control_frames_over_125_bytes_or_without_fin_are_refused()
    {
        var output = new ArrayBufferWriter<byte>();
        Assert.Throws<ArgumentException>(() => WebSocketFrameWriter.WriteFrame(output, WebSocketOpcode.Ping, new byte[126]));
        Assert.Throws<ArgumentException>(() => WebSocketFrameWriter.WriteFrame(output, WebSocketOpcode.Ping, new byte[1], fin: false));
    }

    [Theory]
    [InlineData("bye")]
    [InlineData("")]
    [InlineData("€€€€€€€€€€€€€€€€€€€€€€€€€€€€€€€€€€€€€€€€€€€€€€€€€€€€€€€€€")] // 3-byte scalars, does not divide 123
    [InlineData("😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀")] // surrogate pairs
    [InlineData("xx😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀")]
    public void Close_reason_is_cut_to_125_bytes_on_a_scalar_boundary(string reason)
    {
        var output = new ArrayBufferWriter<byte>();
        WebSocketFrameWriter.WriteClose(output, 4000, reason);
        var reader = new WebSocketMessageReader(WebSocketRole.Client, 0);
        var input = new ReadOnlySequence<byte>(output.WrittenMemory);
        Assert.Equal(WebSocketReadStatus.Control, reader.TryRead(ref input, new ArrayBufferWriter<byte>()));
        Assert.True(reader.ControlPayload.Length <= 125);
        Assert.True(WebSocketMessageReader.TryParseClosePayload(reader.ControlPayload, out ushort code, out string parsed));
        Assert.Equal(4000, code);
        Assert.StartsWith(parsed, reason, StringComparison.Ordinal);
        Assert.True(Encoding.UTF8.GetByteCount(reason) <= 123 ? parsed == reason : Encoding.UTF8.GetByteCount(parsed) > 119);
    }

    [Fact]
    public void Empty_close_payload_parses_as_1005()
    {
        Assert.True(WebSocketMessageReader.TryParseClosePayload([], out ushort code, out string reason));
        Assert.Equal(1005, code);
        Assert.Equal(string.Empty, reason);
    }

    [Theory]
    [InlineData(1000)]
    [InlineData(1001)]
    [InlineData(1003)]
    [InlineData(1007)]
    [InlineData(1011)]
    [InlineData(1012)]
    [InlineData(1014)]
    [InlineData(3000)]
    [InlineData(4000)]
    [InlineData(4999)]
    public void Close_codes_that_may_be_sent_are_read_back(int code)
    {
        var output = new ArrayBufferWriter<byte>();
        WebSocketFrameWriter.WriteClose(output, (ushort)code, "reason", maskKey: 0xDEADBEEF);
        var reader = new WebSocketMessageReader(WebSocketRole.Server, 0);
        var input = new ReadOnlySequence<byte>(output.WrittenMemory);
        Assert.Equal(WebSocketReadStatus.Control, reader.TryRead(ref input, new ArrayBufferWriter<byte>()));
        Assert.Equal(WebSocketOpcode.Close, reader.ControlOpcode);
        Assert.True(WebSocketMessageReader.TryParseClosePayload(reader.ControlPayload, out ushort parsed, out string reason));
        Assert.Equal(code, parsed);
        Assert.Equal("reason", reason);
    }
}
