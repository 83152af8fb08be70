using System.IO.Pipelines;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using GatewayProxy.Ring.Memory;
using Pipelines.Sockets.Unofficial;

namespace GatewayProxy.Ingress.Connection;

/// <summary>Opens upstream connections: a raw socket through Pipelines.Sockets.Unofficial for ws://, SslStream for wss://.</summary>
public sealed class UpstreamTransport
{
    /// <summary>Receive segment size: Discord payloads are large and the library's 4 KiB default costs a segment hop per 4 KiB.</summary>
    public const int ReceiveSegmentSize = SegmentPool.DefaultBlockSize;

    // Reader inline: the socket's receive completion already runs on a thread-pool item (the runtime's socket engine);
    // continuing the shard's decode-and-publish loop right there, instead of scheduling it again, saves a thread hop and
    // a work-item allocation per receive. The shard loop never blocks (a full ring is awaited, not waited on).
    // SegmentPool: a shard behind its ring holds up to 64 blocks at once, more than the shared array pool keeps.
    private static readonly PipeOptions ReceiveOptions = new(
        pool: SegmentPool.Sockets,
        readerScheduler: PipeScheduler.Inline,
        writerScheduler: PipeScheduler.ThreadPool,
        pauseWriterThreshold: 4 * 1024 * 1024,
        resumeWriterThreshold: 2 * 1024 * 1024,
        minimumSegmentSize: ReceiveSegmentSize,
        useSynchronizationContext: false);

    // Sends are rare (heartbeats, IDENTIFY/RESUME, client commands): the loop that drains them runs on the thread pool.
    private static readonly PipeOptions SendOptions = new(
        pool: null,
        readerScheduler: PipeScheduler.ThreadPool,
        writerScheduler: PipeScheduler.ThreadPool,
        pauseWriterThreshold: 1024 * 1024,
        resumeWriterThreshold: 512 * 1024,
        minimumSegmentSize: 16 * 1024,
        useSynchronizationContext: false);

    /// <summary>Checks the server certificate for wss:// (null: the system's validation).</summary>
    public RemoteCertificateValidationCallback? CertificateValidation { get; init; }

    /// <summary>Resolves the host of <paramref name="url"/>, connects, and (for wss://) completes the TLS handshake.</summary>
    public async Task<UpstreamConnection> ConnectAsync(Uri url, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(url);
        bool tls = url.Scheme switch
        {
            "wss" or "https" => true,
            "ws" or "http" => false,
            _ => throw new ArgumentException($"Unsupported gateway URL scheme '{url.Scheme}' (want ws:// or wss://).", nameof(url)),
        };
        int port = url.IsDefaultPort ? (tls ? 443 : 80) : url.Port;
        Socket socket = await ConnectSocketAsync(url.IdnHost, port, ct).ConfigureAwait(false);
        try
        {
            if (!tls)
            {
                // The socket's receive side stays the library's (the hot path); the send side is ours, to know when bytes left.
                SocketConnection connection = SocketConnection.Create(socket, SendOptions, ReceiveOptions);
                var output = new UpstreamOutput(memory => SendAllAsync(socket, memory), SendOptions);
                return new UpstreamConnection(new DuplexPipe(connection.Input, output.Writer), output, socket, connection, null);
            }

            var network = new NetworkStream(socket, ownsSocket: false);
            var ssl = new SslStream(network, leaveInnerStreamOpen: false);
            var auth = new SslClientAuthenticationOptions
            {
                TargetHost = url.IdnHost,
                RemoteCertificateValidationCallback = CertificateValidation,
            };
            await ssl.AuthenticateAsClientAsync(auth, ct).ConfigureAwait(false);
            PipeReader input = StreamConnection.GetReader(ssl, ReceiveOptions);
            var tlsOutput = new UpstreamOutput(memory => ssl.WriteAsync(memory), SendOptions);
            return new UpstreamConnection(new DuplexPipe(input, tlsOutput.Writer), tlsOutput, socket, input as IDisposable, ssl);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    private static async ValueTask SendAllAsync(Socket socket, ReadOnlyMemory<byte> bytes)
    {
        while (!bytes.IsEmpty)
        {
            int sent = await socket.SendAsync(bytes, SocketFlags.None).ConfigureAwait(false);
            bytes = bytes[sent..];
        }
    }

    private static async Task<Socket> ConnectSocketAsync(string host, int port, CancellationToken ct)
    {
        IPAddress[] addresses = IPAddress.TryParse(host, out IPAddress? literal)
            ? [literal]
            : await Dns.GetHostAddressesAsync(host, ct).ConfigureAwait(false);
        if (addresses.Length == 0)
        {
            throw new SocketException((int)SocketError.HostNotFound);
        }

        Exception? last = null;
        foreach (IPAddress address in addresses)
        {
            var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(new IPEndPoint(address, port), ct).ConfigureAwait(false);
                return socket;
            }
            catch (SocketException e)
            {
                last = e;
                socket.Dispose();
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        }

        throw last!;
    }
}
