using System.Buffers;
using BenchmarkDotNet.Attributes;
using GatewayProxy.Protocol.Compression;

namespace GatewayProxy.Perf.Protocol;

/// <summary>
/// Per-message cost of transport compression on one long-lived connection context, against a plain copy.
/// Payloads rotate through distinct variants so the compressor cannot just match the previous identical message.
/// </summary>
[MemoryDiagnoser]
public class CompressionBenchmarks
{
    private const int Variants = 16;

    private byte[][] _payloads = [];
    private int _next;
    private ArrayBufferWriter<byte> _output = new();
    private ZlibStreamEncoder _zlib6 = null!;
    private ZlibStreamEncoder _zlib1 = null!;
    private ZstdStreamEncoder _zstd3 = null!;
    private ZstdStreamEncoder _zstd1 = null!;

    /// <summary>Which payload shape is encoded.</summary>
    [Params("MESSAGE_CREATE~2KB", "GUILD_CREATE~100KB")]
    public string Payload { get; set; } = "";

    [GlobalSetup]
    public void Setup()
    {
        bool small = Payload.StartsWith("MESSAGE", StringComparison.Ordinal);
        _payloads = new byte[Variants][];
        for (int i = 0; i < Variants; i++)
        {
            _payloads[i] = small ? GatewayPayloads.MessageCreate(2_000, i) : GatewayPayloads.GuildCreate(100_000, i);
        }

        _output = new ArrayBufferWriter<byte>(256 * 1024);
        _zlib6 = new ZlibStreamEncoder(6);
        _zlib1 = new ZlibStreamEncoder(1);
        _zstd3 = new ZstdStreamEncoder(3);
        _zstd1 = new ZstdStreamEncoder(1);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _zlib6.Dispose();
        _zlib1.Dispose();
        _zstd3.Dispose();
        _zstd1.Dispose();
    }

    private byte[] NextPayload()
    {
        byte[] payload = _payloads[_next];
        _next = (_next + 1) & (Variants - 1);
        _output.ResetWrittenCount();
        return payload;
    }

    [Benchmark(Baseline = true)]
    public int Copy()
    {
        byte[] payload = NextPayload();
        payload.CopyTo(_output.GetSpan(payload.Length));
        _output.Advance(payload.Length);
        return _output.WrittenCount;
    }

    [Benchmark]
    public int ZlibStreamLevel6()
    {
        _zlib6.Encode(NextPayload(), _output);
        return _output.WrittenCount;
    }

    [Benchmark]
    public int ZlibStreamLevel1()
    {
        _zlib1.Encode(NextPayload(), _output);
        return _output.WrittenCount;
    }

    [Benchmark]
    public int ZstdStreamLevel3()
    {
        _zstd3.Encode(NextPayload(), _output);
        return _output.WrittenCount;
    }

    [Benchmark]
    public int ZstdStreamLevel1()
    {
        _zstd1.Encode(NextPayload(), _output);
        return _output.WrittenCount;
    }
}
