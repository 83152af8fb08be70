using System.IO.Pipelines;
using System.Net.Sockets;
using GatewayProxy.Egress.Clients;
using GatewayProxy.Protocol.Compression;
using Prometheus;
using Xunit;

namespace GatewayProxy.Tests.Egress.Clients;

/// <summary>A client's socket failing under a pending flush faults that client only.</summary>
public sealed class ClientOutputFaultTests
{
    [Theory]
    [InlineData(32)]  // EPIPE: the soak run's crash (the flush callback threw on the thread pool and ended the process)
    [InlineData(104)] // ECONNRESET
    public void A_socket_error_under_a_pending_flush_faults_the_client_instead_of_escaping(int errno)
    {
        // Inline schedulers run the flush-completion callback right inside Reader.Complete, so an exception escaping
        // it fails this test here instead of crashing the test host from the thread pool.
        var pipe = new Pipe(new PipeOptions(
            pauseWriterThreshold: 1,
            resumeWriterThreshold: 1,
            readerScheduler: PipeScheduler.Inline,
            writerScheduler: PipeScheduler.Inline,
            useSynchronizationContext: false));
        Counter.Child bytes = Metrics.WithCustomRegistry(Metrics.NewCustomRegistry()).CreateCounter("b", "b", ["c"]).WithLabels("x");
        var output = new ClientOutput(pipe.Writer, TransportCompression.None, bytes);

        Assert.True(output.TrySend("{\"op\":11,\"d\":null}"u8));
        Assert.True(output.IsFlushPending, "the flush should wait for the (silent) socket");

        // What Pipelines.Sockets.Unofficial does when send() fails: complete the pipe's reader with the SocketException.
        pipe.Reader.Complete(new SocketException(errno));

        Assert.False(output.IsFlushPending);
        Assert.True(output.IsFaulted);
        Assert.False(output.TrySend("{\"op\":11,\"d\":null}"u8));
    }
}
