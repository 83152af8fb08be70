using GatewayProxy.Tests.Ingress.Support;
using System.IO.Pipelines;
using System.Net;
using System.Net.Sockets;
using GatewayProxy.Ingress.Connection;
using GatewayProxy.Tests.Support;
using Xunit;

namespace GatewayProxy.Tests.Ingress.Connection;

/// <summary>A frame is reported sent when the transport took it, not when it was flushed into the send pipe.</summary>
public sealed class UpstreamOutputTests
{
    private static readonly PipeOptions Options = new(useSynchronizationContext: false);
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task A_frame_is_reported_sent_only_once_the_transport_took_it()
    {
        var transportCalled = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var transportFree = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        long taken = 0;
        var output = new UpstreamOutput(
            async bytes =>
            {
                transportCalled.TrySetResult();
                await transportFree.Task;
                Interlocked.Add(ref taken, bytes.Length);
            },
            Options);
        var writer = new ConnectionWriter(output);
        Task run = writer.RunAsync(CancellationToken.None);

        Task<bool> sent = writer.SendTextAsync("{\"op\":2,\"d\":{}}"u8.ToArray());
        await transportCalled.Task.WaitAsync(Limit); // flushed: the send loop has the frame and is stuck in the transport
        Assert.False(sent.IsCompleted, "reported sent while the transport still held the frame");

        transportFree.SetResult();
        Assert.True(await sent.WaitAsync(Limit));
        Assert.Equal(output.Written, Interlocked.Read(ref taken));
        Assert.Equal(output.Written, output.Sent);
        writer.Abandon();
        await run.WaitAsync(Limit);
    }

    [Fact]
    public async Task A_frame_the_transport_failed_on_is_reported_not_sent()
    {
        var transportFree = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var output = new UpstreamOutput(
            async _ =>
            {
                await transportFree.Task;
                throw new SocketException((int)SocketError.ConnectionReset);
            },
            Options);
        var writer = new ConnectionWriter(output);
        Task run = writer.RunAsync(CancellationToken.None);

        Task<bool> sent = writer.SendTextAsync("{\"op\":2,\"d\":{}}"u8.ToArray());
        transportFree.SetResult();
        Assert.False(await sent.WaitAsync(Limit));
        Assert.Equal(0, output.Sent);
        await output.Completion.WaitAsync(Limit);
        writer.Abandon();
        await run.WaitAsync(Limit);
    }

    [Fact]
    public async Task Over_a_real_socket_every_written_byte_arrives_and_is_counted_sent()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var transport = new UpstreamTransport();
        Task<Socket> accept = listener.AcceptSocketAsync();
        await using UpstreamConnection connection = await transport.ConnectAsync(new Uri($"ws://127.0.0.1:{((IPEndPoint)listener.LocalEndpoint).Port}"), CancellationToken.None);
        using Socket peer = await accept.WaitAsync(Limit);

        byte[] payload = new byte[256 * 1024];
        Random.Shared.NextBytes(payload);
        byte[] received = new byte[payload.Length];
        Task<int> receive = ReceiveAllAsync(peer, received);
        await connection.Pipe.Output.WriteAsync(payload);
        Assert.True(await connection.Output.WhenSentAsync(connection.Output.Written).WaitAsync(Limit));
        Assert.Equal(payload.Length, await receive.WaitAsync(Limit));
        Assert.Equal(payload, received);
        Assert.Equal(payload.Length, connection.Output.Sent);
    }

    private static async Task<int> ReceiveAllAsync(Socket peer, byte[] into)
    {
        int total = 0;
        while (total < into.Length)
        {
            int n = await peer.ReceiveAsync(into.AsMemory(total), SocketFlags.None);
            if (n == 0)
            {
                break;
            }

            total += n;
        }

        return total;
    }
}
