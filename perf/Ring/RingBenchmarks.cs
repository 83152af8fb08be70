using System.Threading.Channels;
using BenchmarkDotNet.Attributes;
using GatewayProxy.Ring;

namespace GatewayProxy.Perf.Ring;

/// <summary>One producer fanning events out to N readers: the ring (gating readers, async waits, batch reads)
/// against System.Threading.Channels (one bounded channel per reader, the usual fan-out). Both copy the event
/// bytes once into a preallocated buffer and each reader touches every event.</summary>
[MemoryDiagnoser]
public class RingBenchmarks
{
    private const int Events = 1 << 16;
    private const int Capacity = 1024;

    private readonly byte[] _source = new byte[2048];
    private RingBuffer<SlotBuffer> _ring = null!;
    private GatingReader[] _ringReaders = [];
    private Channel<ReadOnlyMemory<byte>>[] _channels = [];
    private byte[][] _channelBuffers = [];
    private Task[] _tasks = [];

    /// <summary>Readers fed by the one producer.</summary>
    [Params(1, 4, 16)]
    public int Readers { get; set; }

    /// <summary>Bytes per event.</summary>
    [Params(8, 2048)]
    public int EventSize { get; set; }

    /// <summary>Builds the ring, its readers and the channels once.</summary>
    [GlobalSetup]
    public void Setup()
    {
        new Random(42).NextBytes(_source);
        _ring = new RingBuffer<SlotBuffer>(Capacity, _ => new SlotBuffer(4096));
        _ringReaders = new GatingReader[Readers];
        for (int i = 0; i < Readers; i++) _ringReaders[i] = _ring.AddGatingReader(-1);
        _channels = new Channel<ReadOnlyMemory<byte>>[Readers];
        for (int i = 0; i < Readers; i++)
        {
            _channels[i] = Channel.CreateBounded<ReadOnlyMemory<byte>>(new BoundedChannelOptions(Capacity)
            {
                SingleReader = true,
                SingleWriter = true,
                FullMode = BoundedChannelFullMode.Wait,
            });
        }
        // Enough rotating buffers that one is never rewritten while a reader may still hold it.
        _channelBuffers = new byte[2 * Capacity + 2][];
        for (int i = 0; i < _channelBuffers.Length; i++) _channelBuffers[i] = new byte[2048];
        _tasks = new Task[Readers];
    }

    /// <summary>Leaves the ring.</summary>
    [GlobalCleanup]
    public void Cleanup()
    {
        foreach (GatingReader reader in _ringReaders) reader.Dispose();
    }

    /// <summary>Baseline: a bounded channel per reader.</summary>
    [Benchmark(Baseline = true, OperationsPerInvoke = Events)]
    public async Task Channels()
    {
        for (int r = 0; r < Readers; r++) _tasks[r] = ReadChannelAsync(_channels[r].Reader);
        for (int i = 0; i < Events; i++)
        {
            byte[] buffer = _channelBuffers[i % _channelBuffers.Length];
            _source.AsSpan(0, EventSize).CopyTo(buffer);
            var item = new ReadOnlyMemory<byte>(buffer, 0, EventSize);
            for (int r = 0; r < _channels.Length; r++)
            {
                ChannelWriter<ReadOnlyMemory<byte>> writer = _channels[r].Writer;
                if (!writer.TryWrite(item)) await writer.WriteAsync(item).ConfigureAwait(false);
            }
        }
        await Task.WhenAll(_tasks).ConfigureAwait(false);
    }

    /// <summary>The ring: claim, copy into the slot, publish; readers take whole batches.</summary>
    [Benchmark(OperationsPerInvoke = Events)]
    public async Task Ring()
    {
        long target = _ring.Cursor + Events;
        for (int r = 0; r < Readers; r++) _tasks[r] = ReadRingAsync(_ring, _ringReaders[r], target);
        for (int i = 0; i < Events; i++)
        {
            if (!_ring.TryNext(out long seq)) seq = await _ring.NextAsync().ConfigureAwait(false);
            SlotBuffer slot = _ring[seq];
            slot.Reset();
            slot.Write(_source.AsSpan(0, EventSize));
            _ring.Publish(seq);
        }
        await Task.WhenAll(_tasks).ConfigureAwait(false);
    }

    private static async Task ReadChannelAsync(ChannelReader<ReadOnlyMemory<byte>> reader)
    {
        long sum = 0;
        int count = 0;
        while (count < Events)
        {
            while (count < Events && reader.TryRead(out ReadOnlyMemory<byte> item))
            {
                sum += item.Span[0] + item.Length;
                count++;
            }
            if (count < Events) await reader.WaitToReadAsync().ConfigureAwait(false);
        }
        GC.KeepAlive(sum);
    }

    private static async Task ReadRingAsync(RingBuffer<SlotBuffer> ring, GatingReader reader, long target)
    {
        long sum = 0;
        while (reader.Position < target)
        {
            if (!reader.TryGetBatch(Capacity / 4, out long first, out long last))
            {
                await reader.WaitForDataAsync().ConfigureAwait(false);
                continue;
            }
            for (long s = first; s <= last; s++)
            {
                ReadOnlySpan<byte> payload = ring[s].WrittenSpan;
                sum += payload[0] + payload.Length;
            }
            reader.Advance(last);
        }
        GC.KeepAlive(sum);
    }
}
