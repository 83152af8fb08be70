using System.Buffers;
using System.IO.Pipelines;
using System.Net.Security;
using System.Net.Sockets;

namespace GatewayProxy.Egress.Tls;

/// <summary>A client's TLS connection as the <see cref="IDuplexPipe"/> the rest of Egress reads and writes, with the same
/// contract as Pipelines.Sockets.Unofficial's socket pipes: writes go through a pipe (paused at the same threshold) drained
/// by a send loop, and completing the output, once drained, closes the TLS session and the socket's send side.</summary>
/// <remarks>Used only with <c>tls</c> set: the plain ws:// path keeps its SocketConnection and never sees this type.</remarks>
internal sealed class TlsTransport : IDuplexPipe, IDisposable, Server.ISendProgress
{
    private readonly Socket _socket;
    private readonly SslStream _ssl;
    private readonly Pipe _output;
    private long _sent;

    private TlsTransport(Socket socket, SslStream ssl, PipeOptions sendOptions, PipeOptions receiveOptions)
    {
        _socket = socket;
        _ssl = ssl;
        _output = new Pipe(sendOptions);
        Input = PipeReader.Create(ssl, new StreamPipeReaderOptions(pool: receiveOptions.Pool, bufferSize: receiveOptions.MinimumSegmentSize,
            minimumReadSize: 1024, leaveOpen: true));
        _ = SendLoopAsync();
    }

    public PipeReader Input { get; }

    public PipeWriter Output => _output.Writer;

    /// <summary>Plain-text bytes handed to TLS so far.</summary>
    public long BytesSent => Volatile.Read(ref _sent);

    /// <summary>Completes the server side of the TLS handshake on an accepted socket; throws when it fails or times out.</summary>
    public static async Task<TlsTransport> AcceptAsync(Socket socket, ServerCertificate certificate, PipeOptions sendOptions, PipeOptions receiveOptions,
        CancellationToken ct)
    {
        var ssl = new SslStream(new NetworkStream(socket, ownsSocket: false), leaveInnerStreamOpen: false);
        try
        {
            await ssl.AuthenticateAsServerAsync(new SslServerAuthenticationOptions
            {
                ServerCertificateContext = certificate.Context,
                ClientCertificateRequired = false,
                // Clients speak HTTP/1.1 (a WebSocket upgrade, /metrics, /health): never negotiate h2.
                ApplicationProtocols = [SslApplicationProtocol.Http11],
            }, ct).ConfigureAwait(false);
            return new TlsTransport(socket, ssl, sendOptions, receiveOptions);
        }
        catch
        {
            await ssl.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    public void Dispose()
    {
        _ssl.Dispose();
        _socket.Dispose();
    }

    private async Task SendLoopAsync()
    {
        PipeReader reader = _output.Reader;
        Exception? error = null;
        try
        {
            while (true)
            {
                ReadResult result = await reader.ReadAsync().ConfigureAwait(false);
                ReadOnlySequence<byte> buffer = result.Buffer;
                try
                {
                    foreach (ReadOnlyMemory<byte> segment in buffer)
                    {
                        await _ssl.WriteAsync(segment).ConfigureAwait(false);
                        Volatile.Write(ref _sent, _sent + segment.Length);
                    }
                }
                finally
                {
                    reader.AdvanceTo(buffer.End);
                }

                if (result.IsCompleted || result.IsCanceled) break;
            }

            // Drained: close_notify, then FIN, so the peer sees the end right after the last byte (a close frame).
            await _ssl.ShutdownAsync().ConfigureAwait(false);
            _socket.Shutdown(SocketShutdown.Send);
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException or InvalidOperationException or OperationCanceledException)
        {
            error = e;
        }
        finally
        {
            await reader.CompleteAsync(error).ConfigureAwait(false);
        }
    }
}
