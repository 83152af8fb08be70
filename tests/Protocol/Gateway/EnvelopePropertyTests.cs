using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using GatewayProxy.Protocol.Gateway;
using Xunit;

namespace GatewayProxy.Tests.Protocol.Gateway;

public class EnvelopePropertyTests
{
    [Property(MaxTest = 1000, Arbitrary = [typeof(GatewayArbitraries)])]
    public void Rewrite_matches_reparse_for_any_key_order(GatewaySample sample)
    {
        byte[] payload = sample.Bytes;
        Assert.True(EnvelopeScanner.TryScan(payload, out Envelope envelope, out EnvelopeError error), $"scan failed: {error}");
        Assert.Equal(EnvelopeError.None, error);

        var original = (JsonObject)JsonNode.Parse(payload)!;
        var spliced = new ArrayBufferWriter<byte>();
        SequenceSplice.Write(spliced, payload, envelope, sample.NewSeq);
        Assert.Equal(SequenceSplice.GetLength(payload, envelope, sample.NewSeq), spliced.WrittenCount);

        if (!original.ContainsKey("s"))
        {
            Assert.Equal(-1, envelope.SeqStart);
            Assert.Equal(payload, spliced.WrittenSpan.ToArray());
            return;
        }

        // JSON semantics: what System.Text.Json produces after setting s, compared after reparsing both.
        original["s"] = sample.NewSeq;
        JsonNode expected = JsonNode.Parse(original.ToJsonString())!;
        JsonNode actual = JsonNode.Parse(spliced.WrittenSpan)!;
        Assert.True(JsonNode.DeepEquals(expected, actual), $"spliced: {Encoding.UTF8.GetString(spliced.WrittenSpan)}");

        // Bytes: everything outside the s value is untouched, and the s value is exactly the new digits.
        ReadOnlySpan<byte> output = spliced.WrittenSpan;
        byte[] digits = Encoding.ASCII.GetBytes(sample.NewSeq.ToString(CultureInfo.InvariantCulture));
        int suffixStart = envelope.SeqStart + envelope.SeqLength;
        Assert.True(output[..envelope.SeqStart].SequenceEqual(payload.AsSpan(0, envelope.SeqStart)), "prefix changed");
        Assert.True(output.Slice(envelope.SeqStart, digits.Length).SequenceEqual(digits), "digits wrong");
        Assert.True(output[(envelope.SeqStart + digits.Length)..].SequenceEqual(payload.AsSpan(suffixStart)), "suffix changed");
    }

    [Property(MaxTest = 1000, Arbitrary = [typeof(GatewayArbitraries)])]
    public void Scanned_op_t_s_and_d_equal_what_System_Text_Json_reads(GatewaySample sample)
    {
        byte[] payload = sample.Bytes;
        Assert.True(EnvelopeScanner.TryScan(payload, out Envelope envelope, out _));
        var obj = (JsonObject)JsonNode.Parse(payload)!;

        Assert.Equal(obj["op"]!.GetValue<int>(), envelope.Op);

        JsonNode? s = obj["s"];
        Assert.Equal(s is null ? -1 : s.GetValue<long>(), envelope.Seq);
        if (obj.ContainsKey("s"))
        {
            string token = Encoding.UTF8.GetString(payload, envelope.SeqStart, envelope.SeqLength);
            Assert.Equal(s is null ? "null" : s.ToJsonString(), token);
        }

        string? t = obj["t"]?.GetValue<string>();
        if (t is null)
        {
            Assert.Equal(EventKind.None, envelope.Kind);
            Assert.Equal(-1, envelope.TypeStart);
        }
        else
        {
            Assert.Equal(EventKinds.FromName(Encoding.UTF8.GetBytes(t)), envelope.Kind);
            string raw = Encoding.UTF8.GetString(payload, envelope.TypeStart, envelope.TypeLength);
            Assert.Equal(t, JsonSerializer.Deserialize<string>("\"" + raw + "\""));
        }

        // A key after d in otherwise exact wire order lands inside the fast path's trusted d (see TryScan): skip that one.
        bool trustedTail = obj.LastOrDefault().Key != "d" && EnvelopeScanner.TryScanFast(payload, out _);
        if (obj.ContainsKey("d") && !trustedTail)
        {
            JsonNode? d = JsonNode.Parse(payload.AsSpan(envelope.DataStart, envelope.DataLength));
            Assert.True(JsonNode.DeepEquals(obj["d"], d));
        }
        else if (!obj.ContainsKey("d"))
        {
            Assert.Equal(-1, envelope.DataStart);
        }
    }

    [Property(MaxTest = 1000, Arbitrary = [typeof(WireOrderArbitraries)])]
    public void Fast_path_gives_the_same_envelope_as_the_structural_scan(GatewaySample sample)
    {
        byte[] payload = sample.Bytes;
        Assert.True(EnvelopeScanner.TryScanFast(payload, out Envelope fast), "fast path not taken");
        Assert.True(EnvelopeScanner.ScanStructural(payload, out Envelope structural, out EnvelopeError error), $"structural failed: {error}");
        Assert.Equal(structural, fast);
    }

    [Property(MaxTest = 1000, Arbitrary = [typeof(GatewayArbitraries)])]
    public void Whenever_the_fast_path_accepts_it_agrees_with_the_structural_scan(GatewaySample sample)
    {
        // The fast path may decline anything, but what it accepts it must describe exactly as the structural scan does,
        // as long as d is the last key (the wire order; a key after d is inside the fast path's trusted d).
        byte[] payload = sample.Bytes;
        bool dIsLast = ((JsonObject)JsonNode.Parse(payload)!).LastOrDefault().Key == "d";
        if (dIsLast && EnvelopeScanner.TryScanFast(payload, out Envelope fast))
        {
            Assert.True(EnvelopeScanner.ScanStructural(payload, out Envelope structural, out _));
            Assert.Equal(structural, fast);
        }
        else
        {
            Assert.True(EnvelopeScanner.ScanStructural(payload, out _, out _));
        }
    }

    [Property(MaxTest = 300, Arbitrary = [typeof(GatewayArbitraries)])]
    public void Strict_scan_accepts_what_System_Text_Json_accepts_and_agrees(GatewaySample sample)
    {
        Assert.True(EnvelopeScanner.TryScanStrict(sample.Bytes, out Envelope strict, out _));
        Assert.True(EnvelopeScanner.TryScan(sample.Bytes, out Envelope plain, out _));
        Assert.Equal(plain, strict);
    }

    [Property(MaxTest = 1000, Arbitrary = [typeof(GatewayArbitraries)])]
    public void Truncated_payloads_are_rejected_never_thrown_on(GatewaySample sample)
    {
        byte[] payload = sample.Bytes;
        int end = Array.LastIndexOf(payload, (byte)'}');
        for (int cut = 0; cut < end; cut += Math.Max(1, end / 16))
        {
            ReadOnlySpan<byte> truncated = payload.AsSpan(0, cut);
            Assert.False(EnvelopeScanner.ScanStructural(truncated, out Envelope envelope, out EnvelopeError error));
            Assert.NotEqual(EnvelopeError.None, error);
            Assert.Equal(-1, envelope.SeqStart);
            Assert.False(EnvelopeScanner.TryScanStrict(truncated, out _, out _));

            // TryScan trusts the inside of an object/array d on its fast path (see EnvelopeScanner.TryScan): a cut that
            // still ends in the right bracket may pass there, and only there.
            if (EnvelopeScanner.TryScan(truncated, out _, out _))
            {
                Assert.True(EnvelopeScanner.TryScanFast(truncated, out _));
            }
        }
    }

    [Property(MaxTest = 1000)]
    public void GetLength_equals_the_bytes_written_for_any_sequence(long newSeq)
    {
        byte[] payload = "{\"t\":\"X\",\"s\":12345,\"op\":0,\"d\":{}}"u8.ToArray();
        Assert.True(EnvelopeScanner.TryScan(payload, out Envelope envelope, out _));
        var buffer = new byte[64];
        int written = SequenceSplice.Write(buffer, payload, envelope, newSeq);
        Assert.Equal(SequenceSplice.GetLength(payload, envelope, newSeq), written);
        JsonNode? s = JsonNode.Parse(buffer.AsSpan(0, written))!["s"];
        Assert.Equal(newSeq < 0 ? null : newSeq, s?.GetValue<long>());
    }
}
