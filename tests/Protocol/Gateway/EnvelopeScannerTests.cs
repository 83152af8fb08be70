using System.Text;
using GatewayProxy.Protocol.Gateway;
using Xunit;

namespace GatewayProxy.Tests.Protocol.Gateway;

public class EnvelopeScannerTests
{
    // Every scan entry point must agree on the reason: the structural scan, the strict scan, and TryScan (whose fast path
    // must decline these, none of which it can prove well formed without reading d).
    private static EnvelopeError ScanError(string json)
    {
        byte[] payload = Encoding.UTF8.GetBytes(json);
        bool ok = EnvelopeScanner.TryScan(payload, out Envelope envelope, out EnvelopeError error);
        Assert.Equal(ok, error == EnvelopeError.None);
        if (!ok)
        {
            Assert.Equal(Envelope.Empty, envelope);
        }

        Assert.Equal(ok, EnvelopeScanner.ScanStructural(payload, out _, out EnvelopeError structural));
        Assert.Equal(error, structural);
        if (error is not EnvelopeError.None)
        {
            Assert.False(EnvelopeScanner.TryScanStrict(payload, out _, out EnvelopeError strict));
            Assert.Equal(error, strict);
        }

        return error;
    }

    [Theory]
    [InlineData("[1,2]", EnvelopeError.NotAnObject)]
    [InlineData("42", EnvelopeError.NotAnObject)]
    [InlineData("\"op\"", EnvelopeError.NotAnObject)]
    [InlineData("", EnvelopeError.InvalidJson)]
    [InlineData(" \r\n\t", EnvelopeError.InvalidJson)]
    [InlineData("{\"t\":null,\"s\":1,\"op\":0,\"d\":{\"a\":1}", EnvelopeError.InvalidJson)]
    [InlineData("{\"t\":null,\"s\":1,\"op\":0,\"d\":{\"a\":\"x}}  ", EnvelopeError.InvalidJson)]
    [InlineData("{\"t\":null,\"s\":1,\"op\":0,\"d\":{\"a\":1},\"s\":2}", EnvelopeError.DuplicateKey)]
    [InlineData("{\"t\":null,\"s\":1,\"op\":0,\"d\":\"x\",\"t\":\"y\"}", EnvelopeError.DuplicateKey)]
    [InlineData("{\"t\":null,\"s\":1,\"op\":0,\"d\":12}3}", EnvelopeError.TrailingData)]
    [InlineData("{\"op\":0,\"d\":[1,2}}", EnvelopeError.InvalidJson)]
    [InlineData("{\"op\":0,\"d\":{\"a\":1]}", EnvelopeError.InvalidJson)]
    [InlineData("{\"op\":0,}", EnvelopeError.InvalidJson)]
    [InlineData("{\"op\":0 \"d\":1}", EnvelopeError.InvalidJson)]
    [InlineData("{\"op\" 0}", EnvelopeError.InvalidJson)]
    [InlineData("{op:0}", EnvelopeError.InvalidJson)]
    [InlineData("{\"op\":01}", EnvelopeError.InvalidJson)]
    [InlineData("{\"op\":0,\"x\":tru}", EnvelopeError.InvalidJson)]
    [InlineData("{\"op\":0,\"x\":1.}", EnvelopeError.InvalidJson)]
    [InlineData("{\"op\":0,\"x\":\"bad \\q escape\"}", EnvelopeError.InvalidJson)]
    [InlineData("{\"op\":0,\"x\":\"bad \\u12g4 escape\"}", EnvelopeError.InvalidJson)]
    [InlineData("{\"op\":0,\"x\":\"raw\ttab\"}", EnvelopeError.InvalidJson)]
    [InlineData("{\"t\":nul,\"op\":0}", EnvelopeError.InvalidJson)]
    [InlineData("{\"s\":1}", EnvelopeError.MissingOp)]
    [InlineData("{}", EnvelopeError.MissingOp)]
    [InlineData("{\"t\":null,\"s\":null,\"d\":{\"op\":1}}", EnvelopeError.MissingOp)]
    [InlineData("{\"s\":1,\"op\":0,\"s\":2}", EnvelopeError.DuplicateKey)]
    [InlineData("{\"s\":1,\"op\":0,\"\\u0073\":2}", EnvelopeError.DuplicateKey)]
    [InlineData("{\"t\":null,\"op\":0,\"t\":\"X\"}", EnvelopeError.DuplicateKey)]
    [InlineData("{\"op\":0,\"op\":0}", EnvelopeError.DuplicateKey)]
    [InlineData("{\"op\":0,\"d\":1,\"d\":2}", EnvelopeError.DuplicateKey)]
    [InlineData("{\"t\":null,\"s\":null,\"op\":11,\"d\":null,\"op\":2}", EnvelopeError.DuplicateKey)]
    [InlineData("{\"op\":\"0\"}", EnvelopeError.InvalidOp)]
    [InlineData("{\"op\":null}", EnvelopeError.InvalidOp)]
    [InlineData("{\"op\":1.5}", EnvelopeError.InvalidOp)]
    [InlineData("{\"op\":1e2}", EnvelopeError.InvalidOp)]
    [InlineData("{\"op\":2147483648}", EnvelopeError.InvalidOp)]
    [InlineData("{\"op\":{}}", EnvelopeError.InvalidOp)]
    [InlineData("{\"s\":\"5\",\"op\":0}", EnvelopeError.InvalidSeq)]
    [InlineData("{\"s\":-1,\"op\":0}", EnvelopeError.InvalidSeq)]
    [InlineData("{\"s\":1.0,\"op\":0}", EnvelopeError.InvalidSeq)]
    [InlineData("{\"s\":9223372036854775808,\"op\":0}", EnvelopeError.InvalidSeq)]
    [InlineData("{\"s\":true,\"op\":0}", EnvelopeError.InvalidSeq)]
    [InlineData("{\"t\":5,\"op\":0}", EnvelopeError.InvalidType)]
    [InlineData("{\"t\":[\"X\"],\"op\":0}", EnvelopeError.InvalidType)]
    [InlineData("{\"t\":false,\"op\":0}", EnvelopeError.InvalidType)]
    [InlineData("{\"op\":0} x", EnvelopeError.TrailingData)]
    [InlineData("{\"op\":0}}", EnvelopeError.TrailingData)]
    [InlineData("{\"t\":null,\"s\":null,\"op\":11,\"d\":null}{\"op\":1}", EnvelopeError.TrailingData)]
    public void Malformed_payloads_are_rejected_with_their_reason(string json, EnvelopeError expected) => Assert.Equal(expected, ScanError(json));

    [Theory]
    [InlineData("{\"op\":0}")]
    [InlineData(" {\"op\" : -3 } \r\n")]
    [InlineData("{\"t\":null,\"s\":null,\"op\":11,\"d\":null}")]
    [InlineData("{\"op\":0,\"s\":9223372036854775807}")]
    [InlineData("{\"op\":-2147483648}")]
    [InlineData("{\"op\":0,\"x\":-0.5e-7,\"y\":[{}, [], \"\"]}")]
    public void Well_formed_envelopes_are_accepted(string json) => Assert.Equal(EnvelopeError.None, ScanError(json));

    [Fact]
    public void Wire_order_payload_yields_every_range()
    {
        byte[] payload = "{\"t\":\"MESSAGE_CREATE\",\"s\":42,\"op\":0,\"d\":{\"s\":7,\"guild_id\":\"81384788765712384\"}}"u8.ToArray();
        Assert.True(EnvelopeScanner.TryScan(payload, out Envelope e, out _));
        Assert.Equal(0, e.Op);
        Assert.Equal(42, e.Seq);
        Assert.Equal("42", Encoding.UTF8.GetString(payload, e.SeqStart, e.SeqLength));
        Assert.Equal("MESSAGE_CREATE", Encoding.UTF8.GetString(e.TypeName(payload)));
        Assert.Equal(EventKind.MessageCreate, e.Kind);
        Assert.Equal("{\"s\":7,\"guild_id\":\"81384788765712384\"}", Encoding.UTF8.GetString(e.Data(payload)));
    }

    [Fact]
    public void Seq_after_d_and_decoy_seq_inside_d_and_strings_are_told_apart()
    {
        byte[] payload = "{\"op\":0,\"d\":{\"s\":1,\"x\":\"\\\"s\\\":2\",\"y\":[{\"s\":3}]},\"t\":\"X\",\"s\":4}"u8.ToArray();
        Assert.True(EnvelopeScanner.TryScan(payload, out Envelope e, out _));
        Assert.Equal(4, e.Seq);
        Assert.Equal(payload.Length - 2, e.SeqStart);
        Assert.Equal(EventKind.Unknown, e.Kind);
    }

    [Fact]
    public void Null_and_absent_t_and_s_are_reported_as_such()
    {
        byte[] payload = "{\"t\":null,\"s\":null,\"op\":10,\"d\":{\"heartbeat_interval\":41250}}"u8.ToArray();
        Assert.True(EnvelopeScanner.TryScan(payload, out Envelope e, out _));
        Assert.Equal((-1L, -1, EventKind.None), (e.Seq, e.TypeStart, e.Kind));
        Assert.Equal("null", Encoding.UTF8.GetString(payload, e.SeqStart, e.SeqLength));

        Assert.True(EnvelopeScanner.TryScan("{\"op\":1}"u8, out Envelope bare, out _));
        Assert.Equal((-1L, -1, -1, -1, EventKind.None), (bare.Seq, bare.SeqStart, bare.TypeStart, bare.DataStart, bare.Kind));
    }

    [Fact]
    public void Escaped_event_name_is_interned_by_its_decoded_value()
    {
        Assert.True(EnvelopeScanner.TryScan("{\"t\":\"GUILD\\u005FCREATE\",\"s\":1,\"op\":0,\"d\":{}}"u8, out Envelope e, out _));
        Assert.Equal(EventKind.GuildCreate, e.Kind);
    }

    [Fact]
    public void Fast_path_declines_what_it_cannot_prove()
    {
        // Leading zero, whitespace around d, escapes in t, keys after d: all go to the structural scan.
        Assert.False(EnvelopeScanner.TryScanFast("{\"t\":null,\"s\":01,\"op\":0,\"d\":{}}"u8, out _));
        Assert.False(EnvelopeScanner.TryScanFast("{\"t\":null,\"s\":1,\"op\":0,\"d\":{} }"u8, out _));
        Assert.False(EnvelopeScanner.TryScanFast("{\"t\":\"A\\u0042\",\"s\":1,\"op\":0,\"d\":{}}"u8, out _));
        Assert.False(EnvelopeScanner.TryScanFast("{\"t\":null,\"s\":1,\"op\":0,\"d\":}"u8, out _));
        Assert.False(EnvelopeScanner.TryScanFast("{\"t\":null,\"s\":9223372036854775808,\"op\":0,\"d\":{}}"u8, out _));
        Assert.True(EnvelopeScanner.TryScanFast("{\"t\":null,\"s\":9223372036854775807,\"op\":0,\"d\":{}}"u8, out Envelope max));
        Assert.Equal(long.MaxValue, max.Seq);
    }

    [Theory]
    [InlineData("{\"t\":null,\"s\":1,\"op\":0,\"d\":[1,2],\"op\":[]}", EnvelopeError.DuplicateKey)]
    [InlineData("{\"t\":null,\"s\":1,\"op\":0,\"d\":{\"a\":{}}", EnvelopeError.InvalidJson)]
    public void Fast_path_trusts_the_inside_of_an_object_or_array_d_and_the_other_scans_do_not(string json, EnvelopeError expected)
    {
        // The documented trust boundary: upstream (Discord) payloads only. Client input goes through TryScanStrict.
        byte[] payload = Encoding.UTF8.GetBytes(json);
        Assert.True(EnvelopeScanner.TryScanFast(payload, out _));
        Assert.False(EnvelopeScanner.ScanStructural(payload, out _, out EnvelopeError structural));
        Assert.Equal(expected, structural);
        Assert.False(EnvelopeScanner.TryScanStrict(payload, out _, out EnvelopeError strict));
        Assert.Equal(expected, strict);
    }

    [Theory]
    [InlineData("{\"t\":null,\"s\":1,\"op\":0,\"d\":{\"a\":tru}}")]
    [InlineData("{\"t\":null,\"s\":1,\"op\":0,\"d\":{\"a\":1,}}")]
    [InlineData("{\"op\":1,\"d\":[1 2]}")]
    public void Strict_scan_rejects_malformed_data_that_the_trusting_scan_only_delimits(string json)
    {
        byte[] payload = Encoding.UTF8.GetBytes(json);
        Assert.True(EnvelopeScanner.TryScan(payload, out _, out _));
        Assert.False(EnvelopeScanner.TryScanStrict(payload, out _, out EnvelopeError error));
        Assert.Equal(EnvelopeError.InvalidJson, error);
    }

    [Fact]
    public void Nesting_deeper_than_the_limit_is_rejected()
    {
        string ok = "{\"op\":0,\"d\":" + new string('[', 64) + new string(']', 64) + "}";
        string deep = "{\"op\":0,\"d\":" + new string('[', 65) + new string(']', 65) + "}";
        Assert.Equal(EnvelopeError.None, ScanError(ok));
        Assert.Equal(EnvelopeError.InvalidJson, ScanError(deep));
    }
}
