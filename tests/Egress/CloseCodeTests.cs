using GatewayProxy.Protocol.WebSockets;
using GatewayProxy.Tests.Egress.Support;
using GatewayProxy.Tests.Support;
using Xunit;

namespace GatewayProxy.Tests.Egress;

/// <summary>Every bad input closes with Discord's code and a reason that says what was wrong.</summary>
public sealed class CloseCodeTests
{
    private static async Task<(ushort Code, string Reason)> CloseOfAsync(RawGatewayClient client)
    {
        ushort? code = await client.ReceiveCloseAsync();
        Assert.NotNull(code);
        Assert.NotNull(client.CloseReceived);
        return client.CloseReceived!.Value;
    }

    [Theory]
    [InlineData("{\"op\":99,\"d\":null}", 4001, "unknown opcode")]
    [InlineData("{\"op\":7,\"d\":null}", 4001, "unknown opcode")]
    [InlineData("{\"op\":1,", 4002, "invalid JSON")]
    [InlineData("[1,2]", 4002, "decode error")]
    [InlineData("{\"d\":1}", 4002, "integer op")]
    [InlineData("{\"op\":3,\"d\":{\"status\":\"online\"}}", 4003, "not authenticated")]
    [InlineData("{\"op\":8,\"d\":{\"guild_id\":\"1\"}}", 4003, "not authenticated")]
    [InlineData("{\"op\":2,\"d\":{\"token\":\"wrong\",\"properties\":{},\"intents\":1}}", 4004, "authentication failed")]
    [InlineData("{\"op\":2,\"d\":{\"token\":\"test-token.abc\",\"properties\":{},\"intents\":1,\"shard\":[6,6]}}", 4010, "invalid shard [6, 6]: the shard count must be 1..4096")]
    [InlineData("{\"op\":2,\"d\":{\"token\":\"test-token.abc\",\"properties\":{},\"intents\":1,\"shard\":[0,5000]}}", 4010, "invalid shard [0, 5000]")]
    public async Task Bad_input_before_identify_closes_with_its_code_and_reason(string payload, int code, string reasonPart)
    {
        await using EgressTestServer server = EgressTestServer.Start();
        await using RawGatewayClient client = await server.ConnectAsync();
        await client.SendAsync(payload);
        (ushort got, string reason) = await CloseOfAsync(client);
        Assert.Equal(code, got);
        Assert.Contains(reasonPart, reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_payload_over_4096_bytes_closes_with_4002()
    {
        await using EgressTestServer server = EgressTestServer.Start();
        await using RawGatewayClient client = await server.ConnectAsync();
        await client.SendAsync("{\"op\":1,\"d\":\"" + new string('a', 5000) + "\"}");
        (ushort code, string reason) = await CloseOfAsync(client);
        Assert.Equal(4002, code);
        Assert.Contains("4096 bytes", reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_second_identify_closes_with_4005()
    {
        await using EgressTestServer server = EgressTestServer.Start();
        await using IdentifiedTestClient c = await server.IdentifyAsync();
        await c.Client.IdentifyAsync(EgressTestServer.Token, 0, 1, 1);
        (ushort code, string reason) = await CloseOfAsync(c.Client);
        Assert.Equal(4005, code);
        Assert.Contains("already authenticated", reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task More_than_120_payloads_in_a_minute_closes_with_4008()
    {
        await using EgressTestServer server = EgressTestServer.Start();
        await using RawGatewayClient client = await server.ConnectAsync();
        for (int i = 0; i < 121; i++) await client.SendAsync("{\"op\":1,\"d\":null}");
        (ushort code, string reason) = await CloseOfAsync(client);
        Assert.Equal(4008, code);
        Assert.Contains("rate limited", reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_client_that_never_heartbeats_is_closed_with_4009()
    {
        await using EgressTestServer server = EgressTestServer.Start(o =>
        {
            o.HeartbeatIntervalMs = 200;
            o.HeartbeatGrace = TimeSpan.Zero;
        });
        await using IdentifiedTestClient c = await server.IdentifyAsync();
        (ushort code, string reason) = await CloseOfAsync(c.Client);
        Assert.Equal(4009, code);
        Assert.Contains("no heartbeat", reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_websocket_protocol_error_closes_with_1002()
    {
        await using EgressTestServer server = EgressTestServer.Start();
        await using RawGatewayClient client = await server.ConnectAsync();
        // Unmasked client frame: forbidden by RFC 6455.
        var frame = new System.Buffers.ArrayBufferWriter<byte>();
        WebSocketFrameWriter.WriteFrame(frame, WebSocketOpcode.Text, "{\"op\":1,\"d\":null}"u8);
        await client.SendRawAsync(frame.WrittenMemory);
        (ushort code, _) = await CloseOfAsync(client);
        Assert.Equal(1002, code);
    }

    [Fact]
    public async Task Identify_quirks_of_real_libraries_are_accepted()
    {
        await using EgressTestServer server = EgressTestServer.Start();
        // Eris: no shard, extra keys, presence.activities null, Bot prefix; oceanic.js: compress as a string.
        await using RawGatewayClient client = await server.ConnectAsync();
        await client.SendAsync("{\"op\":2,\"d\":{\"token\":\"Bot test-token.abc\",\"v\":10,\"compress\":\"zlib-stream\",\"large_threshold\":999,"
            + "\"presence\":{\"activities\":null,\"status\":\"online\"},\"properties\":{\"os\":\"linux\",\"browser\":\"Eris\"},\"intents\":3}}");
        GatewayMessage ready = await client.ReceiveAsync();
        Assert.Equal("READY", ready.Type);
        GatewayMessage guild = await client.ReceiveAsync();
        Assert.Equal(250, guild.Data.GetProperty("large_threshold").GetInt32());
        Assert.False(guild.BinaryFrame);
    }

    [Fact]
    public async Task Invalid_utf8_in_a_text_frame_closes_with_1007()
    {
        await using EgressTestServer server = EgressTestServer.Start();
        await using RawGatewayClient client = await server.ConnectAsync();
        await client.SendFrameAsync(WebSocketOpcode.Text, new byte[] { (byte)'{', 0xC3, 0x28, (byte)'}' });
        (ushort code, _) = await CloseOfAsync(client);
        Assert.Equal(1007, code);
    }

    [Fact]
    public async Task A_handshake_that_never_completes_is_dropped()
    {
        await using EgressTestServer server = EgressTestServer.Start(o =>
        {
            o.HandshakeTimeout = TimeSpan.FromMilliseconds(200);
            o.CloseTimeout = TimeSpan.FromMilliseconds(200);
        });
        using var socket = new System.Net.Sockets.Socket(System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Tcp);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        await socket.ConnectAsync(server.Server.LocalEndPoint, timeout.Token);
        await socket.SendAsync("GET /?v=10 HTTP/1.1\r\nHost: x\r\n"u8.ToArray(), System.Net.Sockets.SocketFlags.None, timeout.Token);
        int read = await socket.ReceiveAsync(new byte[256], System.Net.Sockets.SocketFlags.None, timeout.Token);
        Assert.Equal(0, read);
    }
}
