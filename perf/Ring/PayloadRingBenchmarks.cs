using BenchmarkDotNet.Attributes;
using GatewayProxy.Protocol.Events;
using GatewayProxy.Ring;
using GatewayProxy.Ring.Memory;

namespace GatewayProxy.Perf.Ring;

/// <summary>One event through a payload ring: the producer writes the payload and its metadata and publishes, a
/// non-gating reader polls, reads it in place (metadata copy + span), touches every byte and validates. Baseline: the
/// slot design the proxy used before the byte log, <see cref="RingBuffer{T}"/> of slots with a 4 KiB inline
/// <see cref="SlotBuffer"/> (pooled overflow above it) and the metadata in the slot.</summary>
[MemoryDiagnoser]
public class PayloadRingBenchmarks
{
    private const int Events = 4096;
    private const int Slots = 1024;

    private byte[] _payload = [];
    private RingBuffer<InlineSlot> _inline = null!;
    private RingReader _inlineReader = null!;
    private PayloadRing<EventMeta> _ring = null!;
    private RingReader _ringReader = null!;

    /// <summary>Payload bytes per event.</summary>
    [Params(200, 2048, 16384, 131072)]
    public int EventSize { get; set; }

    /// <summary>Builds both rings and their readers.</summary>
    [GlobalSetup]
    public void Setup()
    {
        _payload = new byte[EventSize];
        new Random(42).NextBytes(_payload);
        _inline = new RingBuffer<InlineSlot>(Slots, _ => new InlineSlot());
        _inlineReader = _inline.AddReader(-1);
        _ring = new PayloadRing<EventMeta>(Slots, new RingMemory(RingMemory.Unlimited, RingMemory.DefaultRetainFor));
        _ringReader = _ring.AddReader(-1);
    }

    /// <summary>Prints what each ring holds, then releases them.</summary>
    [GlobalCleanup]
    public void Cleanup()
    {
        long inlineBytes = 0;
        for (long i = 0; i < Slots; i++) inlineBytes += 4096 + (_inline[i].Payload.HasOverflow ? _inline[i].Payload.Capacity : 0);
        Console.WriteLine($"// {EventSize} B events, {Slots} slots: inline slots hold {inlineBytes} B of payload buffers, the byte log {_ring.HeldBytes} B");
        _inlineReader.Dispose();
        _ringReader.Dispose();
        _ring.Memory.Dispose();
        _ring.Dispose();
    }

    /// <summary>4 KiB inline slot buffers, metadata in the slot.</summary>
    [Benchmark(Baseline = true, OperationsPerInvoke = Events)]
    public long InlineSlots()
    {
        long sum = 0;
        for (int i = 0; i < Events; i++)
        {
            long seq = _inline.Next();
            InlineSlot slot = _inline[seq];
            slot.Payload.Reset();
            slot.Payload.Write(_payload);
            slot.Meta = new EventMeta { GuildId = (ulong)seq };
            _inline.Publish(seq);

            _inlineReader.Poll(1, out long first, out _);
            InlineSlot read = _inline[first];
            EventMeta meta = read.Meta;
            sum += Touch(read.Payload.WrittenSpan) + (long)meta.GuildId;
            if (!_inlineReader.Validate(first)) throw new InvalidOperationException("overrun");
            _inlineReader.Advance(first);
        }

        return sum;
    }

    /// <summary>The byte log: records in pooled 64 KiB blocks, read in place.</summary>
    [Benchmark(OperationsPerInvoke = Events)]
    public long ByteLog()
    {
        long sum = 0;
        for (int i = 0; i < Events; i++)
        {
            long seq = _ring.Next();
            _ring.Writer.Reset();
            _ring.Writer.Write(_payload);
            _ring.Publish(seq, new EventMeta { GuildId = (ulong)seq });

            _ringReader.Poll(1, out long first, out _);
            ReadOnlySpan<byte> payload = _ring.Read(first, out EventMeta meta);
            sum += Touch(payload) + (long)meta.GuildId;
            if (!_ringReader.Validate(first)) throw new InvalidOperationException("overrun");
            _ringReader.Advance(first);
        }

        return sum;
    }

    /// <summary>Reads the payload as a relay's copy would (every cache line).</summary>
    private static long Touch(ReadOnlySpan<byte> payload)
    {
        long sum = payload.Length;
        for (int i = 0; i < payload.Length; i += 64) sum += payload[i];
        return sum;
    }

    /// <summary>The previous slot shape: payload buffer and metadata per slot.</summary>
    private sealed class InlineSlot
    {
        public readonly SlotBuffer Payload = new();
        public EventMeta Meta;
    }
}
