using System.Buffers;
using System.Text.Json;
using System.Text.Json.Nodes;
using BenchmarkDotNet.Attributes;
using GatewayProxy.Protocol.Gateway;

namespace GatewayProxy.Perf.Protocol;

/// <summary>Re-sequencing one dispatch for one client: the splice against a plain copy, a reparse, and a naive search.</summary>
[MemoryDiagnoser]
public class SpliceBenchmarks
{
    private byte[] payload = [];
    private byte[] buffer = [];
    private Envelope envelope;
    private ArrayBufferWriter<byte> writer = new();
    private long newSeq;

    /// <summary>Which Discord-shaped payload: ~200 B TYPING_START, ~2 KB MESSAGE_CREATE, ~100 KB GUILD_CREATE.</summary>
    [Params("TypingStart", "MessageCreate", "GuildCreate")]
    public string Payload { get; set; } = "TypingStart";

    [GlobalSetup]
    public void Setup()
    {
        payload = Payload switch
        {
            "TypingStart" => DiscordPayloads.TypingStart(1234567),
            "MessageCreate" => DiscordPayloads.MessageCreate(1234567),
            _ => DiscordPayloads.GuildCreate(1234567),
        };
        buffer = new byte[payload.Length + 64];
        writer = new ArrayBufferWriter<byte>(payload.Length + 64);
        if (!EnvelopeScanner.TryScan(payload, out envelope, out EnvelopeError error))
        {
            throw new InvalidOperationException($"benchmark payload does not scan: {error}");
        }

        // A client's sequence usually has a different digit count than upstream's: the suffix moves.
        newSeq = 42;
    }

    /// <summary>Copying the same bytes into a reused buffer: the floor any relay pays.</summary>
    [Benchmark(Baseline = true)]
    public int PlainCopy()
    {
        payload.CopyTo(buffer, 0);
        return payload.Length;
    }

    /// <summary>What ingress does once per event (scan) plus what egress does per client (splice).</summary>
    [Benchmark]
    public int ScanAndSplice()
    {
        _ = EnvelopeScanner.TryScan(payload, out Envelope e, out _);
        return SequenceSplice.Write(buffer, payload, e, newSeq);
    }

    /// <summary>The structural scan (reads all of d) plus splice: the cost if the fast path were not there.</summary>
    [Benchmark]
    public int StructuralScanAndSplice()
    {
        _ = EnvelopeScanner.ScanStructural(payload, out Envelope e, out _);
        return SequenceSplice.Write(buffer, payload, e, newSeq);
    }

    /// <summary>What egress does per client: splice with the envelope found at ingress.</summary>
    [Benchmark]
    public int Splice() => SequenceSplice.Write(buffer, payload, envelope, newSeq);

    /// <summary>The obvious way: parse with System.Text.Json, set s, serialize.</summary>
    [Benchmark]
    public int Reparse()
    {
        var node = JsonNode.Parse(payload)!;
        node["s"] = newSeq;
        writer.ResetWrittenCount();
        using var json = new Utf8JsonWriter(writer);
        node.WriteTo(json);
        json.Flush();
        return writer.WrittenCount;
    }

    /// <summary>The naive shortcut: first <c>"s":</c> anywhere, replace the digits after it (wrong when d has one first).</summary>
    [Benchmark]
    public int NaiveIndexOf()
    {
        ReadOnlySpan<byte> p = payload;
        int key = p.IndexOf("\"s\":"u8);
        int start = key + 4;
        int end = start;
        while (end < p.Length && (uint)(p[end] - '0') <= 9)
        {
            end++;
        }

        p[..start].CopyTo(buffer);
        _ = System.Buffers.Text.Utf8Formatter.TryFormat(newSeq, buffer.AsSpan(start), out int digits);
        p[end..].CopyTo(buffer.AsSpan(start + digits));
        return start + digits + (p.Length - end);
    }
}
