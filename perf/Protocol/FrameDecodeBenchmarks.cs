using System.Buffers;
using BenchmarkDotNet.Attributes;
using GatewayProxy.Protocol.WebSockets;

namespace GatewayProxy.Perf.Protocol;

/// <summary>
/// Decoding one masked text frame (as a client sends it) through <see cref="WebSocketMessageReader"/> into a reused sink:
/// header parse + vectorized unmask-copy + UTF-8 validation, against a plain copy of the same payload bytes.
/// </summary>
[MemoryDiagnoser]
public class FrameDecodeBenchmarks
{
    private byte[] _frame = [];
    private byte[] _copyTarget = [];
    private int _headerSize;
    private ArrayBufferWriter<byte> _sink = new();
    private WebSocketMessageReader _reader = new(WebSocketRole.Server, 1);

    /// <summary>Payload size: a typical dispatch (2 KB) and a large GUILD_CREATE-like one (100 KB).</summary>
    [Params(2 * 1024, 100 * 1024)]
    public int Size { get; set; }

    /// <summary>Builds one masked text frame of JSON-like ASCII and a sink big enough that it never grows.</summary>
    [GlobalSetup]
    public void Setup()
    {
        byte[] payload = new byte[Size];
        ReadOnlySpan<byte> pattern = "{\"t\":\"MESSAGE_CREATE\",\"s\":42,\"op\":0,\"d\":{\"content\":\"hello world\"}},"u8;
        for (int i = 0; i < payload.Length; i++)
        {
            payload[i] = pattern[i % pattern.Length];
        }

        var output = new ArrayBufferWriter<byte>();
        WebSocketFrameWriter.WriteFrame(output, WebSocketOpcode.Text, payload, fin: true, maskKey: 0x1A2B3C4D);
        _frame = output.WrittenSpan.ToArray();
        _headerSize = _frame.Length - Size;
        _copyTarget = new byte[Size];
        _sink = new ArrayBufferWriter<byte>(Size);
        _reader = new WebSocketMessageReader(WebSocketRole.Server, 1 << 20);
    }

    /// <summary>Baseline: copy the payload bytes, no parsing, no unmasking, no validation.</summary>
    [Benchmark(Baseline = true)]
    public int SpanCopy()
    {
        _frame.AsSpan(_headerSize).CopyTo(_copyTarget);
        return _copyTarget[^1];
    }

    /// <summary>Full decode of the frame into the reused sink.</summary>
    [Benchmark]
    public long Decode()
    {
        _sink.ResetWrittenCount();
        var input = new ReadOnlySequence<byte>(_frame);
        WebSocketReadStatus status = _reader.TryRead(ref input, _sink);
        return status == WebSocketReadStatus.Message ? _reader.MessageLength : -1;
    }
}
