using System.Buffers;
using System.Text;
using GatewayProxy.Protocol.Http;
using Xunit;

namespace GatewayProxy.Tests.Protocol.Http;

public class WebSocketClientHandshakeTests
{
    private static HttpParseStatus ParseResponse(string text, string key, out SequencePosition consumed, out int status, out string? reason) =>
        WebSocketHandshake.TryParseClientResponse(new ReadOnlySequence<byte>(Encoding.ASCII.GetBytes(text)), key, out consumed, out status, out reason);

    [Fact]
    public void Client_request_is_a_valid_upgrade_with_a_fresh_key()
    {
        byte[] bytes = WebSocketHandshake.BuildClientRequest("gateway.discord.gg", "/?v=10&encoding=json", out string key);
        byte[] again = WebSocketHandshake.BuildClientRequest("gateway.discord.gg", "/?v=10&encoding=json", out string otherKey);
        Assert.NotEqual(key, otherKey);
        Assert.True(WebSocketHandshake.IsValidKey(key));

        Assert.Equal(HttpParseStatus.Complete, HttpRequestParser.TryParse(new ReadOnlySequence<byte>(bytes), HttpRequestLimits.Default, out HttpRequest? request, out _, out _, out _));
        Assert.True(WebSocketHandshake.TryValidateUpgrade(request!, out _, out _));
        Assert.Equal(key, request!.WebSocketKey);
        Assert.Equal("gateway.discord.gg", request.Headers["Host"]);
        Assert.Equal("10", request.GetQueryValue("v"));
        Assert.Equal(WebSocketHandshake.UserAgent, request.Headers["User-Agent"]);
        Assert.NotEmpty(again);
    }

    [Fact]
    public void Good_101_is_complete_and_stops_before_the_first_frame()
    {
        WebSocketHandshake.BuildClientRequest("localhost", "/", out string key);
        string head = "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: "
            + WebSocketHandshake.ComputeAccept(key) + "\r\n\r\n";
        byte[] bytes = [.. Encoding.ASCII.GetBytes(head), 0x81, 0x02, (byte)'h', (byte)'i'];
        var buffer = new ReadOnlySequence<byte>(bytes);
        Assert.Equal(HttpParseStatus.Complete, WebSocketHandshake.TryParseClientResponse(buffer, key, out SequencePosition consumed, out int status, out string? reason));
        Assert.Equal(101, status);
        Assert.Null(reason);
        Assert.Equal(4, buffer.Slice(consumed).Length);

        Assert.Equal(HttpParseStatus.Incomplete, ParseResponse(head[..^2], key, out _, out _, out _));
    }

    [Fact]
    public void Wrong_accept_is_invalid()
    {
        WebSocketHandshake.BuildClientRequest("localhost", "/", out string key);
        string head = "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n\r\n";
        Assert.Equal(HttpParseStatus.Invalid, ParseResponse(head, key, out _, out int status, out string? reason));
        Assert.Equal(101, status);
        Assert.Contains("Sec-WebSocket-Accept", reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Unoffered_extension_is_invalid()
    {
        WebSocketHandshake.BuildClientRequest("localhost", "/", out string key);
        string head = "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: "
            + WebSocketHandshake.ComputeAccept(key) + "\r\nSec-WebSocket-Extensions: permessage-deflate\r\n\r\n";
        Assert.Equal(HttpParseStatus.Invalid, ParseResponse(head, key, out _, out _, out string? reason));
        Assert.Contains("extension", reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Status_400_is_invalid_and_names_the_status()
    {
        Assert.Equal(HttpParseStatus.Invalid, ParseResponse("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n", "x", out _, out int status, out string? reason));
        Assert.Equal(400, status);
        Assert.Contains("400 Bad Request", reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Malformed_status_line_is_invalid()
    {
        Assert.Equal(HttpParseStatus.Invalid, ParseResponse("HTTP/1.1 1O1 Switching\r\n\r\n", "x", out _, out _, out string? reason));
        Assert.Contains("status line", reason, StringComparison.Ordinal);
    }
}
