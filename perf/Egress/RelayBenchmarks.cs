using System.IO.Pipelines;
using BenchmarkDotNet.Attributes;
using GatewayProxy.Egress.Buffers;
using GatewayProxy.Egress.Clients;
using GatewayProxy.Protocol.Compression;
using GatewayProxy.Protocol.Events;
using GatewayProxy.Protocol.Gateway;
using GatewayProxy.Protocol.WebSockets;
using GatewayProxy.Ring;
using Prometheus;

namespace GatewayProxy.Perf.Egress;

/// <summary>The per-event relay step a worker runs for each client: read the slot, splice the client's <c>s</c> into the
/// payload straight into the socket pipe behind a frame header, validate the seqlock, commit; one flush per batch of 64.
/// Baseline: framing the unchanged payload (header + one copy), no splice, no validation.</summary>
[MemoryDiagnoser]
public class RelayBenchmarks
{
    private const int Batch = 64;

    private PayloadRing<EventMeta> _ring = null!;
    private RingReader _reader = null!;
    private Pipe _pipe = null!;
    private ClientOutput _output = null!;
    private PooledBufferWriter _splice = null!;
    private PooledBufferWriter _encode = null!;
    private long _clientSeq;

    /// <summary>Transport compression of the client.</summary>
    [Params(TransportCompression.None, TransportCompression.ZlibStream, TransportCompression.ZstdStream)]
    public TransportCompression Compression { get; set; }

    /// <summary>zlib level (zlib-stream only).</summary>
    [Params(1, 6)]
    public int ZlibLevel { get; set; }

    /// <summary>Builds a ring of 64 MESSAGE_CREATEs (~1 KB each) and one client output over an in-memory pipe.</summary>
    [GlobalSetup]
    public void Setup()
    {
        _ring = new PayloadRing<EventMeta>(Batch);
        for (int i = 0; i < Batch; i++)
        {
            byte[] payload = Protocol.GatewayPayloads.MessageCreate(1024, i);
            long seq = _ring.Next();
            _ring.Writer.Reset();
            _ring.Writer.Write(payload);
            if (!EnvelopeScanner.TryScan(payload, out Envelope envelope, out _)) throw new InvalidOperationException("bad payload");
            _ring.Publish(seq, EventMeta.From(envelope));
        }

        _reader = _ring.AddReader(-1);
        _pipe = new Pipe(new PipeOptions(pauseWriterThreshold: 0, useSynchronizationContext: false));
        Counter.Child bytes = Metrics.WithCustomRegistry(Metrics.NewCustomRegistry()).CreateCounter("b", "b", ["c"]).WithLabels("x");
        _output = new ClientOutput(_pipe.Writer, Compression, bytes, ZlibLevel);
        _splice = new PooledBufferWriter(64 * 1024);
        _encode = new PooledBufferWriter(64 * 1024);
    }

    /// <summary>Releases the compressor and buffers.</summary>
    [GlobalCleanup]
    public void Cleanup()
    {
        _output.Dispose();
        _splice.Dispose();
        _encode.Dispose();
    }

    /// <summary>Frame + copy of the unchanged payload, no compression (what any relay must at least do).</summary>
    [Benchmark(Baseline = true, OperationsPerInvoke = Batch)]
    public long FrameCopy()
    {
        PipeWriter writer = _pipe.Writer;
        for (long seq = 0; seq < Batch; seq++)
        {
            ReadOnlySpan<byte> payload = _ring.Read(seq, out _);
            int header = WebSocketFrameWriter.GetHeaderSize(payload.Length, masked: false);
            Span<byte> span = writer.GetSpan(header + payload.Length);
            WebSocketFrameWriter.WriteHeader(span, WebSocketOpcode.Text, fin: true, payload.Length);
            payload.CopyTo(span[header..]);
            writer.Advance(header + payload.Length);
        }

        // Never pauses (no threshold): completes synchronously.
        ValueTask<FlushResult> flush = writer.FlushAsync();
        if (!flush.IsCompleted) throw new InvalidOperationException("flush did not complete synchronously");
        _ = flush.Result;
        return Drain();
    }

    /// <summary>The worker's step: splice, frame, (compress), validate, commit; one flush per batch.</summary>
    [Benchmark(OperationsPerInvoke = Batch)]
    public long Relay()
    {
        lock (_output.SyncRoot)
        {
            for (long seq = 0; seq < Batch; seq++)
            {
                ReadOnlySpan<byte> payload = _ring.Read(seq, out EventMeta meta);
                _output.TryWriteSplicedLocked(_reader, seq, payload, in meta.Envelope, ++_clientSeq, _splice, _encode);
            }

            _output.CommitLocked();
        }

        return Drain();
    }

    private long Drain()
    {
        if (!_pipe.Reader.TryRead(out ReadResult result)) return 0;
        long length = result.Buffer.Length;
        _pipe.Reader.AdvanceTo(result.Buffer.End);
        return length;
    }
}
