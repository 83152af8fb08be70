using System.IO.Pipelines;
using GatewayProxy.Egress.Buffers;
using GatewayProxy.Egress.Clients;
using GatewayProxy.Protocol.Compression;
using GatewayProxy.Protocol.Events;
using GatewayProxy.Ring;
using GatewayProxy.Tests.Egress.Support;
using Prometheus;
using Xunit;

namespace GatewayProxy.Tests.Egress.Relay;

/// <summary>The per-event relay step (splice, frame, validate, commit, flush) allocates nothing in steady state.</summary>
public sealed class RelayAllocationTests
{
    [Theory]
    [InlineData(TransportCompression.None)]
    [InlineData(TransportCompression.ZlibStream)]
    [InlineData(TransportCompression.ZstdStream)]
    public void Relaying_events_allocates_nothing_per_event(TransportCompression compression)
    {
        var feed = new TestShardFeed(0, ringSize: 256);
        for (int k = 0; k < 200; k++) feed.Publish("MESSAGE_CREATE", TestShardFeed.EventData(k, padding: 50 + (k % 13 * 100)));
        var pipe = new Pipe(new PipeOptions(pauseWriterThreshold: 0, useSynchronizationContext: false));
        Counter.Child bytes = Metrics.WithCustomRegistry(Metrics.NewCustomRegistry()).CreateCounter("b", "b", ["c"]).WithLabels("x");
        var output = new ClientOutput(pipe.Writer, compression, bytes);
        using var splice = new PooledBufferWriter(64 * 1024);
        using var encode = new PooledBufferWriter(64 * 1024);
        long clientSeq = 0;

        long Relay(int rounds)
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            for (int round = 0; round < rounds; round++)
            {
                using RingReader reader = feed.Ring.AddReader(-1);
                TestRelay.WriteBatch(feed.Ring, reader, output, ref clientSeq, splice, encode);
                Assert.True(pipe.Reader.TryRead(out ReadResult result));
                Assert.True(result.Buffer.Length > 0);
                pipe.Reader.AdvanceTo(result.Buffer.End);
            }

            return GC.GetAllocatedBytesForCurrentThread() - before;
        }

        Relay(40); // warm up pools, JIT tiers and the compressor
        // Best of three windows: a one-off (a pool refill, a tier-up) shows in one window, a per-event allocation in all.
        long allocated = Math.Min(Relay(20), Math.Min(Relay(20), Relay(20)));
        // The reader made per round (~800 B, the test's own) is all there is: one object per event would already be
        // 200 × 24 B = 4,800 B per round.
        Assert.True(allocated / 20 < 2048, $"{allocated} bytes for 20 rounds of 200 events");
        output.Dispose();
    }
}
