using System.Buffers;
using System.Text;
using GatewayProxy.Protocol.Http;
using Xunit;

namespace GatewayProxy.Tests.Protocol.Http;

public class WebSocketHandshakeTests
{
    private const string RfcKey = "dGhlIHNhbXBsZSBub25jZQ==";

    private static HttpRequest Request(string method = "GET", string version = "HTTP/1.1", string? upgrade = "websocket", string? connection = "Upgrade",
        string? key = RfcKey, string? wsVersion = "13", string? host = "localhost")
    {
        var text = new StringBuilder($"{method} /?v=10 {version}\r\n");
        if (host is not null) text.Append($"Host: {host}\r\n");
        if (upgrade is not null) text.Append($"Upgrade: {upgrade}\r\n");
        if (connection is not null) text.Append($"Connection: {connection}\r\n");
        if (key is not null) text.Append($"Sec-WebSocket-Key: {key}\r\n");
        if (wsVersion is not null) text.Append($"Sec-WebSocket-Version: {wsVersion}\r\n");
        text.Append("\r\n");
        Assert.Equal(HttpParseStatus.Complete, HttpRequestParser.TryParse(new ReadOnlySequence<byte>(Encoding.ASCII.GetBytes(text.ToString())),
            HttpRequestLimits.Default, out HttpRequest? request, out _, out _, out _));
        return request!;
    }

    private static void AssertRejected(HttpRequest request, int expectedStatus, string reasonFragment)
    {
        Assert.False(WebSocketHandshake.TryValidateUpgrade(request, out int status, out string? reason));
        Assert.Equal(expectedStatus, status);
        Assert.Contains(reasonFragment, reason, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    // RFC 6455 §1.3: this key gives s3pPLMBiTxaQ9kYGzzhZRbK+xOo= (checked independently with Python hashlib).
    public void Accept_matches_the_rfc6455_example() =>
        Assert.Equal("s3pPLMBiTxaQ9kYGzzhZRbK+xOo=", WebSocketHandshake.ComputeAccept(RfcKey));

    [Fact]
    public void Valid_upgrade_is_accepted_with_token_lists_in_any_case()
    {
        Assert.True(WebSocketHandshake.TryValidateUpgrade(Request(), out int status, out string? reason));
        Assert.Equal(0, status);
        Assert.Null(reason);
        Assert.True(WebSocketHandshake.TryValidateUpgrade(Request(upgrade: "WebSocket", connection: "keep-alive,  upgrade"), out _, out _));
    }

    [Fact]
    public void Missing_key_is_400() => AssertRejected(Request(key: null), 400, "missing Sec-WebSocket-Key");

    [Theory]
    [InlineData("not-base64!!")]
    [InlineData("AAAAAAAAAAAAAAAAAAAAAAAAAAAA")] // 21 bytes
    [InlineData("AAAAAAAAAAAAAAAAAAAA")] // 15 bytes
    public void Invalid_key_is_400(string key) => AssertRejected(Request(key: key), 400, "base64 of 16 bytes");

    [Theory]
    [InlineData("8")]
    [InlineData("14")]
    public void Wrong_websocket_version_is_426(string version) => AssertRejected(Request(wsVersion: version), 426, "Sec-WebSocket-Version");

    [Fact]
    public void Missing_websocket_version_is_426() => AssertRejected(Request(wsVersion: null), 426, "Sec-WebSocket-Version");

    [Fact]
    public void Not_get_is_400() => AssertRejected(Request(method: "POST"), 400, "GET");

    [Fact]
    public void Http_1_0_is_400() => AssertRejected(Request(version: "HTTP/1.0"), 400, "HTTP/1.1");

    [Fact]
    public void Missing_upgrade_is_426() => AssertRejected(Request(upgrade: null), 426, "Upgrade: websocket");

    [Fact]
    public void Upgrade_to_something_else_is_426() => AssertRejected(Request(upgrade: "h2c"), 426, "Upgrade: websocket");

    [Fact]
    public void Connection_without_upgrade_is_400() => AssertRejected(Request(connection: "keep-alive"), 400, "Connection");

    [Fact]
    public void Missing_host_is_400() => AssertRejected(Request(host: null), 400, "Host");

    [Fact]
    public void Switching_protocols_carries_the_accept_and_no_extension()
    {
        var output = new ArrayBufferWriter<byte>();
        WebSocketHandshake.WriteSwitchingProtocols(output, RfcKey);
        string text = Encoding.ASCII.GetString(output.WrittenSpan);
        Assert.StartsWith("HTTP/1.1 101 Switching Protocols\r\n", text, StringComparison.Ordinal);
        Assert.Contains("\r\nSec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n", text, StringComparison.Ordinal);
        Assert.DoesNotContain("Extensions", text, StringComparison.OrdinalIgnoreCase);
        Assert.EndsWith("\r\n\r\n", text, StringComparison.Ordinal);
        // Our own client accepts our own server's answer.
        Assert.Equal(HttpParseStatus.Complete, WebSocketHandshake.TryParseClientResponse(new ReadOnlySequence<byte>(output.WrittenMemory), RfcKey, out _, out int code, out _));
        Assert.Equal(101, code);
    }

    [Fact]
    public void Response_has_length_type_close_and_body()
    {
        var output = new ArrayBufferWriter<byte>();
        WebSocketHandshake.WriteResponse(output, 400, "Bad Request", "text/plain; charset=utf-8", "ETF is not supported"u8);
        Assert.Equal("HTTP/1.1 400 Bad Request\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: 20\r\nConnection: close\r\n\r\nETF is not supported",
            Encoding.ASCII.GetString(output.WrittenSpan));

        var keepAlive = new ArrayBufferWriter<byte>();
        WebSocketHandshake.WriteResponse(keepAlive, 200, "OK", "application/json", "{}"u8, close: false);
        Assert.DoesNotContain("Connection", Encoding.ASCII.GetString(keepAlive.WrittenSpan), StringComparison.Ordinal);

        Assert.Throws<ArgumentException>(() => WebSocketHandshake.WriteResponse(output, 200, "OK\r\nX-Evil: 1", "text/plain", default));
    }

    [Fact]
    public void Upgrade_required_response_names_version_13()
    {
        var output = new ArrayBufferWriter<byte>();
        WebSocketHandshake.WriteUpgradeRequired(output, "use a WebSocket");
        string text = Encoding.ASCII.GetString(output.WrittenSpan);
        Assert.StartsWith("HTTP/1.1 426 Upgrade Required\r\n", text, StringComparison.Ordinal);
        Assert.Contains("\r\nSec-WebSocket-Version: 13\r\n", text, StringComparison.Ordinal);
        Assert.EndsWith("\r\n\r\nuse a WebSocket", text, StringComparison.Ordinal);
    }
}
