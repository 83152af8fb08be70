using System.Buffers;
using BenchmarkDotNet.Attributes;
using GatewayProxy.Ingress.Shards;
using GatewayProxy.Perf.Protocol;
using GatewayProxy.Protocol.Compression;
using GatewayProxy.Protocol.Events;
using GatewayProxy.Protocol.Gateway;
using GatewayProxy.Protocol.WebSockets;
using GatewayProxy.Ring;
using GatewayProxy.Tooling;

namespace GatewayProxy.Perf.Ingress;

/// <summary>
/// Ingress decode + publish throughput: an in-memory stream of server frames (as Discord sends them, one compression
/// context for the whole stream) through the shard's real hot path (<see cref="UpstreamReceiver"/>: frame parse,
/// inflate into the ring slot, envelope scan, guild id lookup, publish). One invocation = one connection's worth of
/// <see cref="Events"/> events; reported per event. Baseline: copying the same decoded payloads into the ring slots.
/// </summary>
[MemoryDiagnoser]
public class IngressBenchmarks
{
    /// <summary>Events per invocation.</summary>
    public const int Events = 1024;

    private PayloadRing<EventMeta> _ring = null!;
    private UpstreamReceiver _receiver = null!;
    private byte[] _frames = [];
    private byte[][] _payloads = [];
    private readonly NoopHandler _handler = new();

    /// <summary>Upstream transport compression.</summary>
    [Params(TransportCompression.None, TransportCompression.ZlibStream, TransportCompression.ZstdStream)]
    public TransportCompression Compression { get; set; }

    /// <summary>live: MESSAGE_CREATE (~2 KB) and TYPING_START (~0.2 KB) alternating; startup: GUILD_CREATE (~100 KB) only.</summary>
    [Params("live", "startup")]
    public string Traffic { get; set; } = "live";

    /// <summary>Decoded payload bytes per invocation (for MB/s).</summary>
    public long PayloadBytes { get; private set; }

    [GlobalSetup]
    public void Setup()
    {
        int count = Traffic == "startup" ? Events / 16 : Events;
        _payloads = new byte[count][];
        for (int i = 0; i < count; i++)
        {
            long seq = i + 1;
            _payloads[i] = Traffic == "startup" ? DiscordPayloads.GuildCreate(seq)
                : (i & 1) == 0 ? DiscordPayloads.MessageCreate(seq) : DiscordPayloads.TypingStart(seq);
            PayloadBytes += _payloads[i].Length;
        }

        _frames = ServerFrames.Build(Compression, _payloads);
        _ring = new PayloadRing<EventMeta>(1024);
        _receiver = new UpstreamReceiver(_ring, 64 * 1024 * 1024, metrics: null);
        Console.WriteLine($"// {Traffic}/{Compression}: {count} events, {PayloadBytes} payload bytes, {_frames.Length} wire bytes per invocation");
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _receiver.Dispose();
        _ring.Dispose();
    }

    /// <summary>Copies each decoded payload into the next ring slot and publishes it: the floor any ingest pays.</summary>
    [Benchmark(Baseline = true)]
    public long CopyIntoRing()
    {
        foreach (byte[] payload in _payloads)
        {
            _ring.TryNext(out long seq);
            _ring.Writer.Reset();
            _ring.Writer.Write(payload);
            _ring.Publish(seq, default);
        }

        return _ring.Cursor;
    }

    /// <summary>The shard's receive path over the whole stream.</summary>
    [Benchmark]
    public long DecodeAndPublish()
    {
        _receiver.BeginConnection(Compression);
        _receiver.LastSequence = 0;
        _receiver.TryClaim();
        var input = new ReadOnlySequence<byte>(_frames);
        _receiver.Process(ref input, _handler);
        return _ring.Cursor;
    }

    private sealed class NoopHandler : IReceiveHandler
    {
        public bool ShouldStop => false;

        public bool OnControlFrame(WebSocketOpcode opcode, ReadOnlySpan<byte> payload) => false;

        public void OnProtocolError(string detail, ushort closeCode) => throw new InvalidOperationException(detail);

        public void OnGatewayMessage(ReadOnlySpan<byte> payload, in Envelope envelope)
        {
        }

        public void OnSessionDispatch(ReadOnlySpan<byte> payload, in Envelope envelope)
        {
        }

        public void OnBadPayload(EnvelopeError error, int length) => throw new InvalidOperationException(error.ToString());
    }
}
