using System.Text;
using GatewayProxy.Egress.Metrics;
using GatewayProxy.Protocol.WebSockets;
using GatewayProxy.Tests.Protocol.WebSockets;
using GatewayProxy.Tests.Egress.Support;
using GatewayProxy.Tests.Support;
using Xunit;

namespace GatewayProxy.Tests.Egress.Hostile;

/// <summary>Malformed and oversized WebSocket input from a client after the upgrade: each is closed with the RFC 6455 or
/// Discord code, its connection is released, and a well-behaved client of the same shard misses nothing meanwhile.</summary>
public sealed class HostileFrameTests
{
    private static readonly byte[] Heartbeat = "{\"op\":1,\"d\":null}"u8.ToArray();

    public static TheoryData<string, int> Cases() => new()
    {
        { "unmasked client frame", 1002 },
        { "RSV1 set without an extension", 1002 },
        { "RSV3 set", 1002 },
        { "reserved data opcode 3", 1002 },
        { "reserved control opcode 0xB", 1002 },
        { "fragmented ping", 1002 },
        { "fragmented close", 1002 },
        { "ping over 125 bytes", 1002 },
        { "continuation without a message", 1002 },
        { "text frame inside a fragmented message", 1002 },
        { "64-bit length with its top bit set", 1002 },
        { "one-byte close payload", 1002 },
        { "close with reserved code 1005", 1002 },
        { "invalid UTF-8 in a text frame", 1007 },
        { "invalid UTF-8 split across fragments", 1007 },
        { "invalid UTF-8 in a close reason", 1007 },
        { "5000-byte payload in one frame", 4002 },
        { "4 GiB frame declared in the header", 4002 },
        { "two fragments adding up to 6000 bytes", 4002 },
    };

    private static byte[] BytesOf(string name) => name switch
    {
        "unmasked client frame" => Frames.Build(WebSocketOpcode.Text, Heartbeat, mask: null),
        "RSV1 set without an extension" => Frames.Raw(0x81 | 0x40, (byte)(0x80 | Heartbeat.Length), default, Heartbeat),
        "RSV3 set" => Frames.Raw(0x81 | 0x10, (byte)(0x80 | Heartbeat.Length), default, Heartbeat),
        "reserved data opcode 3" => Frames.Raw(0x83, (byte)(0x80 | Heartbeat.Length), default, Heartbeat),
        "reserved control opcode 0xB" => Frames.Raw(0x8B, 0x80, default, default),
        "fragmented ping" => Frames.Raw(0x09, 0x81, default, "x"u8),
        "fragmented close" => Frames.Raw(0x08, 0x82, default, [0x03, 0xE8]),
        "ping over 125 bytes" => Frames.Raw(0x89, 0x80 | 126, [0x00, 126], new byte[126]),
        "continuation without a message" => Frames.Build(WebSocketOpcode.Continuation, Heartbeat),
        "text frame inside a fragmented message" => [.. Frames.Build(WebSocketOpcode.Text, "{\"op\":"u8, fin: false), .. Frames.Build(WebSocketOpcode.Text, "1}"u8)],
        "64-bit length with its top bit set" => Frames.Raw(0x81, 0x80 | 127, [0x80, 0, 0, 0, 0, 0, 0, 0], default),
        "one-byte close payload" => Frames.Raw(0x88, 0x81, default, [0x03]),
        "close with reserved code 1005" => Frames.Build(WebSocketOpcode.Close, [0x03, 0xED]),
        "invalid UTF-8 in a text frame" => Frames.Build(WebSocketOpcode.Text, [(byte)'{', 0xC3, 0x28, (byte)'}']),
        "invalid UTF-8 split across fragments" =>
            [.. Frames.Build(WebSocketOpcode.Text, [(byte)'{', 0xE2, 0x82], fin: false), .. Frames.Build(WebSocketOpcode.Continuation, [0x28, (byte)'}'])],
        "invalid UTF-8 in a close reason" => Frames.Build(WebSocketOpcode.Close, [0x03, 0xE8, 0xFF]),
        "5000-byte payload in one frame" => Frames.Build(WebSocketOpcode.Text, Encoding.UTF8.GetBytes("{\"op\":1,\"d\":\"" + new string('a', 5000) + "\"}")),
        "4 GiB frame declared in the header" => Frames.Raw(0x81, 0x80 | 127, [0, 0, 0, 1, 0, 0, 0, 0], default),
        "two fragments adding up to 6000 bytes" =>
            [.. Frames.Build(WebSocketOpcode.Text, new byte[3000], fin: false), .. Frames.Build(WebSocketOpcode.Continuation, new byte[3000])],
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, "no such case"),
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Hostile_frame_is_closed_with_its_code_and_the_good_client_misses_nothing(string hostile, int expectedCode)
    {
        await using HostileScene scene = await HostileScene.StartAsync();
        scene.Publish(20);
        RawGatewayClient attacker = await scene.Server.ConnectAsync();
        scene.Publish(20);
        await attacker.SendRawAsync(BytesOf(hostile));
        ushort? code = await attacker.ReceiveCloseAsync(HostileScene.WaitLimit);
        (ushort, string)? close = attacker.CloseReceived;
        // Gone, as a real client would be after the close: the proxy then releases the socket without waiting out CloseTimeout.
        await attacker.DisposeAsync();
        scene.Publish(20);

        Assert.Equal((ushort?)expectedCode, code);
        Assert.False(string.IsNullOrEmpty(close!.Value.Item2), "a close must say why");
        await scene.AssertGoodClientSawEveryEventAsync();
        await scene.AssertOnlyTheGoodClientIsLeftAsync();
        ClientDisconnectReason reason = expectedCode == 4002 ? ClientDisconnectReason.DecodeError : ClientDisconnectReason.ProtocolError;
        Assert.Equal(1, scene.Proxy.DisconnectCount(reason));
    }

    [Fact]
    public async Task Identified_attacker_on_the_same_shard_sending_garbage_mid_stream_costs_the_good_client_nothing()
    {
        await using HostileScene scene = await HostileScene.StartAsync();
        IdentifiedTestClient attacker = await scene.Server.IdentifyAsync();
        scene.Publish(50);
        await attacker.Client.SendRawAsync(Frames.Raw(0x81, 0x80 | 127, [0, 0, 0, 1, 0, 0, 0, 0], default));
        scene.Publish(50);
        Assert.Equal((ushort)4002, await attacker.Client.ReceiveCloseAsync(HostileScene.WaitLimit));
        await attacker.DisposeAsync();
        await scene.AssertGoodClientSawEveryEventAsync();
        // 4002 leaves a session resumable (Discord's rule); the test server keeps it for SessionTtl, so only sockets are checked.
        await HostileScene.WaitUntilAsync(() => scene.Proxy.OpenConnections == 1 && scene.Proxy.ConnectedClients == 1,
            () => $"open connections {scene.Proxy.OpenConnections}, clients {scene.Proxy.ConnectedClients}");
    }
}
