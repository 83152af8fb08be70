using System.Buffers;
using System.Text;
using GatewayProxy.Protocol.Http;
using GatewayProxy.Tests.Protocol.WebSockets;
using Xunit;

namespace GatewayProxy.Tests.Protocol.Http;

public class HttpRequestParserTests
{
    private const string ValidUpgrade =
        "GET /?v=10&encoding=json&compress=zlib-stream HTTP/1.1\r\n" +
        "Host: 127.0.0.1:7878\r\n" +
        "Upgrade: websocket\r\n" +
        "Connection: keep-alive, Upgrade\r\n" +
        "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n" +
        "Sec-WebSocket-Version: 13\r\n" +
        "Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits\r\n" +
        "User-Agent:   DiscordBot (test, 1.0)  \r\n" +
        "\r\n";

    private static HttpParseStatus Parse(string text, out HttpRequest? request, out int status, out string? reason, HttpRequestLimits? limits = null) =>
        Parse(new ReadOnlySequence<byte>(Encoding.Latin1.GetBytes(text)), out request, out _, out status, out reason, limits);

    private static HttpParseStatus Parse(ReadOnlySequence<byte> buffer, out HttpRequest? request, out SequencePosition consumed, out int status, out string? reason, HttpRequestLimits? limits = null) =>
        HttpRequestParser.TryParse(buffer, limits ?? HttpRequestLimits.Default, out request, out consumed, out status, out reason);

    private static void AssertInvalid(string text, int expectedStatus, string reasonFragment, HttpRequestLimits? limits = null)
    {
        Assert.Equal(HttpParseStatus.Invalid, Parse(text, out HttpRequest? request, out int status, out string? reason, limits));
        Assert.Null(request);
        Assert.Equal(expectedStatus, status);
        Assert.Contains(reasonFragment, reason, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Valid_upgrade_request_is_parsed_with_path_query_and_headers()
    {
        byte[] bytes = Encoding.ASCII.GetBytes(ValidUpgrade + "\x81\x80");
        Assert.Equal(HttpParseStatus.Complete, Parse(new ReadOnlySequence<byte>(bytes), out HttpRequest? request, out SequencePosition consumed, out _, out _));
        Assert.NotNull(request);
        Assert.Equal("GET", request.Method);
        Assert.Equal("/", request.Path);
        Assert.Equal("v=10&encoding=json&compress=zlib-stream", request.Query);
        Assert.Equal("10", request.GetQueryValue("v"));
        Assert.Equal("json", request.GetQueryValue("encoding"));
        Assert.Equal("zlib-stream", request.GetQueryValue("compress"));
        Assert.Null(request.GetQueryValue("missing"));
        Assert.Equal("127.0.0.1:7878", request.Headers["host"]);
        Assert.Equal("DiscordBot (test, 1.0)", request.Headers["USER-AGENT"]);
        Assert.True(request.IsWebSocketUpgrade);
        Assert.Equal("dGhlIHNhbXBsZSBub25jZQ==", request.WebSocketKey);
        // The frame bytes after the head are left for the WebSocket reader.
        Assert.Equal(ValidUpgrade.Length, new ReadOnlySequence<byte>(bytes).Slice(0, consumed).Length);
        Assert.True(WebSocketHandshake.TryValidateUpgrade(request, out _, out _));
    }

    [Fact]
    public void Head_split_over_many_segments_parses_the_same()
    {
        byte[] bytes = Encoding.ASCII.GetBytes(ValidUpgrade);
        ReadOnlySequence<byte> split = SegmentedSequence.Split(bytes, new Random(7), maxSegment: 3);
        Assert.Equal(HttpParseStatus.Complete, Parse(split, out HttpRequest? request, out SequencePosition consumed, out _, out _));
        Assert.Equal("zlib-stream", request!.GetQueryValue("compress"));
        Assert.Equal(split.End, consumed);
    }

    [Fact]
    public void Every_prefix_of_a_valid_head_is_incomplete()
    {
        for (int length = 0; length < ValidUpgrade.Length; length++)
        {
            Assert.Equal(HttpParseStatus.Incomplete, Parse(ValidUpgrade[..length], out HttpRequest? request, out _, out _));
            Assert.Null(request);
        }
    }

    [Fact]
    public void Query_values_are_percent_decoded_and_repeated_headers_joined()
    {
        Assert.Equal(HttpParseStatus.Complete, Parse("GET /a/b?x=hello%20world&y=a+b&flag HTTP/1.1\r\nX-A: 1\r\nx-a: 2\r\n\r\n", out HttpRequest? request, out _, out _));
        Assert.Equal("/a/b", request!.Path);
        Assert.Equal("hello world", request.GetQueryValue("x"));
        Assert.Equal("a b", request.GetQueryValue("y"));
        Assert.Equal(string.Empty, request.GetQueryValue("flag"));
        Assert.Equal("1, 2", request.Headers["X-A"]);
        Assert.False(request.IsWebSocketUpgrade);
    }

    [Theory]
    [InlineData("GET /\r\n\r\n", "malformed request line")]
    [InlineData("GET  / HTTP/1.1\r\n\r\n", "malformed request line")]
    [InlineData("GET / HTTP/1.1 extra\r\n\r\n", "malformed HTTP version")]
    [InlineData("G(T / HTTP/1.1\r\n\r\n", "invalid request method")]
    [InlineData("GET http://x/ HTTP/1.1\r\n\r\n", "origin-form")]
    [InlineData("GET /a#b HTTP/1.1\r\n\r\n", "origin-form")]
    [InlineData("GET / HTTP/1.1\n\r\n", "CRLF")]
    [InlineData("GET / HTTX/1.1\r\n\r\n", "malformed HTTP version")]
    public void Bad_request_lines_are_400(string text, string reason) => AssertInvalid(text, 400, reason);

    [Theory]
    [InlineData("HTTP/2.0")]
    [InlineData("HTTP/1.2")]
    [InlineData("HTTP/0.9")]
    public void Unsupported_versions_are_505(string version) => AssertInvalid($"GET / {version}\r\nHost: x\r\n\r\n", 505, "version");

    [Theory]
    [InlineData("Host: x\r\nNoColonHere\r\n\r\n", "without a colon")]
    [InlineData("Host : x\r\n\r\n", "invalid header field name")]
    [InlineData("Host: x\r\n folded\r\n\r\n", "line folding")]
    [InlineData(": x\r\n\r\n", "invalid header field name")]
    [InlineData("Host: x\x01y\r\n\r\n", "invalid character")]
    [InlineData("Host: x\n\r\n", "CRLF")]
    public void Bad_header_lines_are_400(string headers, string reason) => AssertInvalid("GET / HTTP/1.1\r\n" + headers, 400, reason);

    [Fact]
    public void More_headers_than_the_limit_are_431_even_before_the_head_ends()
    {
        var limits = new HttpRequestLimits(MaxHeaderCount: 3);
        AssertInvalid("GET / HTTP/1.1\r\nA: 1\r\nB: 2\r\nC: 3\r\nD: 4\r\n", 431, "more than 3 header fields", limits);
        Assert.Equal(HttpParseStatus.Complete, Parse("GET / HTTP/1.1\r\nA: 1\r\nB: 2\r\nC: 3\r\n\r\n", out _, out _, out _, limits));
    }

    [Fact]
    public void Request_line_over_the_limit_is_414_even_before_its_end()
    {
        var limits = new HttpRequestLimits(MaxRequestLineBytes: 64);
        AssertInvalid("GET /" + new string('a', 100), 414, "request line longer than 64 bytes", limits);
        AssertInvalid("GET /" + new string('a', 100) + " HTTP/1.1\r\n\r\n", 414, "request line", limits);
        string exact = "GET /" + new string('a', 64 - 14) + " HTTP/1.1";
        Assert.Equal(64, exact.Length);
        Assert.Equal(HttpParseStatus.Complete, Parse(exact + "\r\n\r\n", out _, out _, out _, limits));
        Assert.Equal(HttpParseStatus.Incomplete, Parse(exact + "\r", out _, out _, out _, limits));
    }

    [Fact]
    public void Header_section_over_the_byte_limit_is_431_even_before_its_end()
    {
        var limits = new HttpRequestLimits(MaxHeaderBytes: 100);
        AssertInvalid("GET / HTTP/1.1\r\nX-Big: " + new string('b', 120), 431, "larger than 100 bytes", limits);
        AssertInvalid("GET / HTTP/1.1\r\nX-Big: " + new string('b', 120) + "\r\n\r\n", 431, "larger than 100 bytes", limits);
        Assert.Equal(HttpParseStatus.Complete, Parse("GET / HTTP/1.1\r\nX-Big: " + new string('b', 50) + "\r\n\r\n", out _, out _, out _, limits));
    }
}
