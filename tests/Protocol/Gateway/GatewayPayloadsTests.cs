using System.Buffers;
using System.Text.Json.Nodes;
using GatewayProxy.Protocol.Gateway;
using Xunit;

namespace GatewayProxy.Tests.Protocol.Gateway;

public class GatewayPayloadsTests
{
    private static (JsonObject Json, Envelope Envelope, byte[] Bytes) Write(Action<ArrayBufferWriter<byte>> write)
    {
        var buffer = new ArrayBufferWriter<byte>(1); // tiny initial size: the writers must grow it themselves
        write(buffer);
        byte[] bytes = buffer.WrittenSpan.ToArray();
        Assert.True(EnvelopeScanner.TryScanStrict(bytes, out Envelope envelope, out EnvelopeError error), error.ToString());
        return ((JsonObject)JsonNode.Parse(bytes)!, envelope, bytes);
    }

    private static void AssertServerEnvelope(JsonObject json, int op, object? d)
    {
        Assert.Equal(["t", "s", "op", "d"], json.Select(p => p.Key).ToArray());
        Assert.Null(json["t"]);
        Assert.Null(json["s"]);
        Assert.Equal(op, json["op"]!.GetValue<int>());
        Assert.True(JsonNode.DeepEquals(d is null ? null : JsonValue.Create(d), json["d"]));
    }

    [Fact]
    public void Hello_carries_the_interval_in_wire_order()
    {
        var (json, envelope, bytes) = Write(o => GatewayPayloads.WriteHello(o, 41250));
        Assert.Equal(["t", "s", "op", "d"], json.Select(p => p.Key).ToArray());
        Assert.Equal(10, json["op"]!.GetValue<int>());
        Assert.Equal(41250, json["d"]!["heartbeat_interval"]!.GetValue<int>());
        Assert.True(EnvelopeScanner.TryScanFast(bytes, out Envelope fast));
        Assert.Equal(envelope, fast);
        Assert.Equal(10, envelope.Op);
    }

    [Fact]
    public void Server_control_payloads_have_their_op_and_data()
    {
        AssertServerEnvelope(Write(GatewayPayloads.WriteHeartbeatAck).Json, 11, null);
        AssertServerEnvelope(Write(GatewayPayloads.WriteHeartbeatRequest).Json, 1, null);
        AssertServerEnvelope(Write(GatewayPayloads.WriteReconnect).Json, 7, null);
        AssertServerEnvelope(Write(o => GatewayPayloads.WriteInvalidSession(o, true)).Json, 9, true);
        AssertServerEnvelope(Write(o => GatewayPayloads.WriteInvalidSession(o, false)).Json, 9, false);
    }

    [Fact]
    public void Resumed_is_a_dispatch_with_the_sequence_and_takes_the_fast_path()
    {
        var (json, envelope, bytes) = Write(o => GatewayPayloads.WriteResumed(o, 1234567890123));
        Assert.Equal("RESUMED", json["t"]!.GetValue<string>());
        Assert.Equal(1234567890123, json["s"]!.GetValue<long>());
        Assert.Equal(0, json["op"]!.GetValue<int>());
        Assert.Equal("gateway-proxy", json["d"]!["_trace"]![0]!.GetValue<string>());
        Assert.True(EnvelopeScanner.TryScanFast(bytes, out Envelope fast));
        Assert.Equal(envelope, fast);
        Assert.Equal(EventKind.Resumed, fast.Kind);
    }

    [Fact]
    public void Dispatch_embeds_the_data_as_is()
    {
        var (json, envelope, _) = Write(o => GatewayPayloads.WriteDispatch(o, "GUILD_DELETE"u8, 7, "{\"id\":\"1\",\"unavailable\":true}"u8));
        Assert.Equal(EventKind.GuildDelete, envelope.Kind);
        Assert.Equal(7, envelope.Seq);
        Assert.True(json["d"]!["unavailable"]!.GetValue<bool>());
        Assert.Null(Write(o => GatewayPayloads.WriteDispatch(o, "X"u8, 1, default)).Json["d"]);
    }

    [Theory]
    [InlineData("")]
    [InlineData("BAD\"NAME")]
    [InlineData("SPACE NAME")]
    public void Dispatch_refuses_names_that_need_escaping(string name) =>
        Assert.Throws<ArgumentException>(() => GatewayPayloads.WriteDispatch(new ArrayBufferWriter<byte>(), System.Text.Encoding.UTF8.GetBytes(name), 1, "null"u8));

    [Fact]
    public void Heartbeat_sends_the_sequence_or_null()
    {
        var (json, _, _) = Write(o => GatewayPayloads.WriteHeartbeat(o, 99));
        Assert.Equal(["op", "d"], json.Select(p => p.Key).ToArray());
        Assert.Equal(1, json["op"]!.GetValue<int>());
        Assert.Equal(99, json["d"]!.GetValue<long>());
        Assert.Null(Write(o => GatewayPayloads.WriteHeartbeat(o, null)).Json["d"]);
    }

    [Fact]
    public void Resume_escapes_its_strings()
    {
        var (json, envelope, _) = Write(o => GatewayPayloads.WriteResume(o, "Bot a\"b\\c", "sess\u00e9", 42));
        Assert.Equal(6, envelope.Op);
        Assert.Equal("Bot a\"b\\c", json["d"]!["token"]!.GetValue<string>());
        Assert.Equal("sess\u00e9", json["d"]!["session_id"]!.GetValue<string>());
        Assert.Equal(42, json["d"]!["seq"]!.GetValue<long>());
    }
}
