using System.Net;
using System.Net.Sockets;
using GatewayProxy.Egress;
using GatewayProxy.Egress.Buffers;
using GatewayProxy.Egress.Clients;
using GatewayProxy.Protocol.Compression;
using GatewayProxy.Protocol.Events;
using GatewayProxy.Ring;
using GatewayProxy.Tests.Egress.Support;
using Pipelines.Sockets.Unofficial;
using Prometheus;
using Xunit;

namespace GatewayProxy.Tests.Egress.Relay;

/// <summary>The relay step down to a real loopback socket, with the proxy's own send pipe options (the send loop runs
/// inline in the batch flush, so the sendmsg happens on the relaying thread): no allocation per event on that thread.</summary>
public sealed class SocketRelayAllocationTests
{
    private const int Events = 200;
    private const int Window = 20;

    [Fact]
    public async Task Relaying_batches_to_a_real_socket_allocates_nothing_per_event_on_the_relaying_thread()
    {
        var feed = new TestShardFeed(0, ringSize: 256);
        for (int k = 0; k < Events; k++) feed.Publish("MESSAGE_CREATE", TestShardFeed.EventData(k, padding: 50 + (k % 13 * 100)));

        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen(1);
        using var peer = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await peer.ConnectAsync(listener.LocalEndPoint!);
        using Socket accepted = await listener.AcceptAsync();
        using SocketConnection connection = SocketConnection.Create(accepted, ProxyServer.SendOptions, ProxyServer.ReceiveOptions);

        // The peer drains on its own thread (its allocations are not the relaying thread's).
        long received = 0;
        Task drain = Task.Factory.StartNew(() =>
        {
            var buffer = new byte[256 * 1024];
            int n;
            while ((n = peer.Receive(buffer)) > 0) Interlocked.Add(ref received, n);
        }, TaskCreationOptions.LongRunning);

        Counter.Child bytes = Metrics.WithCustomRegistry(Metrics.NewCustomRegistry()).CreateCounter("b", "b", ["c"]).WithLabels("x");
        var output = new ClientOutput(connection.Output, TransportCompression.None, bytes);
        using var splice = new PooledBufferWriter(64 * 1024);
        using var encode = new PooledBufferWriter(64 * 1024);
        long clientSeq = 0;
        // Made once, outside the measured windows: waiting for the peer to catch up is part of every round.
        Func<bool> caughtUp = () => Interlocked.Read(ref received) >= (long)bytes.Value && !output.IsFlushPending;

        long Relay(RingReader[] readers)
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            foreach (RingReader reader in readers)
            {
                TestRelay.WriteBatch(feed.Ring, reader, output, ref clientSeq, splice, encode);
                // A failure guard, not a timing: the peer reads as fast as loopback allows.
                Assert.True(SpinWait.SpinUntil(caughtUp, TimeSpan.FromSeconds(60)), "the peer did not receive the batch");
            }

            return GC.GetAllocatedBytesForCurrentThread() - before;
        }

        RingReader[] Readers() => Enumerable.Range(0, Window).Select(_ => feed.Ring.AddReader(-1)).ToArray();

        Relay(Readers()); // warm up the pipe's segment pool, the socket's send state and JIT tiers
        // Best of three windows: a one-off (a pool refill, a tier-up) shows in one window, a per-event allocation in all.
        long allocated = long.MaxValue;
        for (int w = 0; w < 3; w++) allocated = Math.Min(allocated, Relay(Readers()));

        Assert.False(output.IsFaulted);
        Assert.True(bytes.Value > 4L * Window * Events * 100, "every round reached the socket");
        // A batch spanning several pipe segments costs the runtime's gather send two small arrays (~150 B); one object
        // per event would already be 200 × 24 B = 4,800 B per batch.
        Assert.True(allocated / Window < 1024, $"{allocated} bytes for {Window} batches of {Events} events");

        output.Dispose();
        await connection.Output.CompleteAsync(); // the send loop ends and shuts the socket's send side: the peer sees EOF
        await drain.WaitAsync(TimeSpan.FromSeconds(60));
    }
}
