using System.Buffers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using GatewayProxy.Egress.Routing;
using GatewayProxy.Protocol.Gateway;
using Xunit;

namespace GatewayProxy.Tests.Egress.Routing;

public sealed class NonceRewriterTests
{
    private static string Restore(string payload, string? replacementToken)
    {
        byte[] bytes = Encoding.UTF8.GetBytes(payload);
        Assert.True(EnvelopeScanner.TryScan(bytes, out Envelope envelope, out _));
        ReadOnlySpan<byte> d = envelope.Data(bytes);
        Assert.True(EnvelopeScanner.TryFindProperty(d, "nonce"u8, out int start, out int length, out bool isString) && isString);
        var output = new ArrayBufferWriter<byte>();
        Assert.True(NonceRewriter.TryRestore(bytes, envelope.DataStart + start, length, replacementToken is null ? null : Encoding.UTF8.GetBytes(replacementToken), output));
        return Encoding.UTF8.GetString(output.WrittenSpan);
    }

    [Theory]
    [InlineData("{\"t\":\"X\",\"s\":1,\"op\":0,\"d\":{\"nonce\":\"gp1.2\"}}", "{\"t\":\"X\",\"s\":1,\"op\":0,\"d\":{}}")]
    [InlineData("{\"t\":\"X\",\"s\":1,\"op\":0,\"d\":{\"nonce\":\"gp1.2\",\"a\":1}}", "{\"t\":\"X\",\"s\":1,\"op\":0,\"d\":{\"a\":1}}")]
    [InlineData("{\"t\":\"X\",\"s\":1,\"op\":0,\"d\":{\"a\":1,\"nonce\":\"gp1.2\"}}", "{\"t\":\"X\",\"s\":1,\"op\":0,\"d\":{\"a\":1}}")]
    [InlineData("{\"t\":\"X\",\"s\":1,\"op\":0,\"d\":{\"a\":1 , \"nonce\" : \"gp1.2\" ,\"b\":2}}", "{\"t\":\"X\",\"s\":1,\"op\":0,\"d\":{\"a\":1  ,\"b\":2}}")]
    public void Removing_the_nonce_member_leaves_the_rest(string payload, string expected) => Assert.Equal(expected, Restore(payload, null));

    [Fact]
    public void Replacing_puts_the_clients_raw_token_back()
    {
        Assert.Equal("{\"t\":\"X\",\"s\":1,\"op\":0,\"d\":{\"a\":1,\"nonce\":\"q\\\"x\"}}", Restore("{\"t\":\"X\",\"s\":1,\"op\":0,\"d\":{\"a\":1,\"nonce\":\"gp1.2\"}}", "\"q\\\"x\""));
    }

    [Property(MaxTest = 1000)]
    public bool Removal_equals_the_object_without_the_nonce_for_any_member_position(PositiveInt before, PositiveInt after, NonEmptyString text)
    {
        var d = new JsonObject();
        for (int i = 0; i < before.Get % 5; i++) d["k" + i] = text.Get + i;
        d["nonce"] = "gp7.1";
        for (int i = 0; i < after.Get % 5; i++) d["z" + i] = new JsonArray(i, text.Get);
        string payload = "{\"t\":\"GUILD_MEMBERS_CHUNK\",\"s\":9,\"op\":0,\"d\":" + d.ToJsonString() + "}";
        JsonNode restored = JsonNode.Parse(Restore(payload, null))!;
        d.Remove("nonce");
        return JsonNode.DeepEquals(restored["d"], d) && restored["s"]!.GetValue<int>() == 9;
    }
}
