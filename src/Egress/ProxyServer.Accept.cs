using GatewayProxy.Egress.Server;
using System.Buffers;
using System.IO.Pipelines;
using System.Net;
using System.Net.Sockets;
using GatewayProxy.Egress.Metrics;
using GatewayProxy.Egress.Clients;
using GatewayProxy.Ring.Memory;
using GatewayProxy.Protocol.Compression;
using GatewayProxy.Protocol.Http;
using Microsoft.Extensions.Logging;
using Pipelines.Sockets.Unofficial;

namespace GatewayProxy.Egress;

/// <summary>Accepting sockets, reading the HTTP request, and routing it.</summary>
/// <remarks>
/// Own accept loop over Pipelines.Sockets.Unofficial's <see cref="SocketConnection"/> rather than its SocketServer:
/// SocketServer does not expose the bound port (Port = 0 in tests) and disposes a connection as soon as the handler
/// returns. Here a connection is disposed only after its output was completed and drained (or the peer closed), so a
/// close frame or an HTTP error body always reaches the peer.
/// </remarks>
public sealed partial class ProxyServer
{
    // Sends: pause a client's writer at 1 MiB unsent (the relay then parks it); receives: client payloads are tiny.
    // Both send schedulers are inline. Reader: the relay worker's once-per-batch flush runs the send loop, which issues
    // the sendmsg on the worker's thread instead of queueing the loop to the thread pool (one hop and one work-item
    // allocation per batch). Writer: a send the kernel could not take at once completes on the socket engine's pool
    // thread and continues there (the flush's completion only parks/unparks the client and sets the worker's signal),
    // instead of hopping again. 64 KiB segments: a batch spans fewer buffers, so sendmsg pins and gathers fewer; from
    // SegmentPool, since clients draining at once return more of them than the shared array pool keeps.
    internal static readonly PipeOptions SendOptions = new(pool: SegmentPool.Sockets, readerScheduler: PipeScheduler.Inline, writerScheduler: PipeScheduler.Inline,
        pauseWriterThreshold: 1024 * 1024, resumeWriterThreshold: 512 * 1024, minimumSegmentSize: SegmentPool.DefaultBlockSize,
        useSynchronizationContext: false);
    internal static readonly PipeOptions ReceiveOptions = new(pauseWriterThreshold: 64 * 1024, resumeWriterThreshold: 32 * 1024,
        minimumSegmentSize: 4096, useSynchronizationContext: false);

    private async Task AcceptLoopAsync()
    {
        CancellationToken ct = _stop.Token;
        while (!ct.IsCancellationRequested)
        {
            Socket socket;
            try
            {
                socket = await _listener.AcceptAsync(ct).ConfigureAwait(false);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException)
            {
                return;
            }
            catch (SocketException e)
            {
                // A connection reset while queued, or descriptors exhausted: keep accepting.
                EgressLog.AcceptFailed(_context.Logger, e.SocketErrorCode);
                continue;
            }

            long acceptedAt = Environment.TickCount64;
            IPAddress address = (socket.RemoteEndPoint as IPEndPoint)?.Address ?? IPAddress.None;
            bool admitted = _limiter.TryAcquire(address);
            SocketConnection.SetRecommendedServerOptions(socket);
            if (_certificates is not null)
            {
                _ = HandleTlsConnectionAsync(socket, address, admitted, acceptedAt);
                continue;
            }

            SocketConnection connection = SocketConnection.Create(socket, SendOptions, ReceiveOptions);
            _ = HandleConnectionAsync(connection, address, admitted, acceptedAt);
        }
    }

    private async Task HandleConnectionAsync(SocketConnection connection, IPAddress address, bool admitted, long acceptedAt)
    {
        try
        {
            if (admitted)
            {
                await ServeAsync(connection, acceptedAt, new SocketSendProgress(connection)).ConfigureAwait(false);
            }
            else
            {
                // Answered at once, before reading the request: the peer holds no more of our time than the close takes.
                _context.Metrics.Refused(RefusalReason.PerIpLimit);
                WriteText(connection.Output, 429, $"too many connections from {address}: at most {_context.Options.MaxConnectionsPerIp} per IP address");
                await CloseTransportAsync(connection).ConfigureAwait(false);
            }
        }
        catch (Exception e)
        {
            EgressLog.ConnectionFailed(_context.Logger, e);
        }
        finally
        {
            connection.Dispose();
            if (admitted) _limiter.Release(address);
        }
    }

    private async Task ServeAsync(IDuplexPipe transport, long acceptedAt, ISendProgress sendProgress)
    {
        HttpRequest? request;
        EgressOptions options = _context.Options;
        using (var handshakeTimeout = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token))
        {
            // The unauthenticated lifetime starts at accept, so it bounds the HTTP phase too.
            handshakeTimeout.CancelAfter(options.HandshakeTimeout < options.UnauthenticatedTimeout ? options.HandshakeTimeout : options.UnauthenticatedTimeout);
            try
            {
                request = await ReadRequestAsync(transport, handshakeTimeout.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // Slowloris or shutdown: drop without a word.
                if (!_stop.IsCancellationRequested) _context.Metrics.Refused(RefusalReason.HandshakeTimeout);
                request = null;
            }
        }

        if (request is null)
        {
            await CloseTransportAsync(transport).ConfigureAwait(false);
            return;
        }

        if (await TryServeHttpAsync(transport, request).ConfigureAwait(false)) return;

        if (_context.Memory.RefusesNow())
        {
            // Refused before the 101 with a body that says why: a library retries the connection later, and the clients
            // already served keep their memory (docs/operations.md, "Memory limit").
            _context.Metrics.Refused(RefusalReason.LowMemory);
            WriteText(transport.Output, 503, LowMemoryRefusal());
            await CloseTransportAsync(transport).ConfigureAwait(false);
            return;
        }

        if (!TryAcceptUpgrade(transport, request, out TransportCompression compression))
        {
            _context.Metrics.Refused(RefusalReason.BadUpgrade);
            await CloseTransportAsync(transport).ConfigureAwait(false);
            return;
        }

        if (!await SendUpgradeAloneAsync(transport).ConfigureAwait(false))
        {
            await CloseTransportAsync(transport).ConfigureAwait(false);
            return;
        }

        var client = new ClientConnection(_context, transport, compression, acceptedAt, sendProgress);
        await client.RunAsync().ConfigureAwait(false);
    }

    /// <summary>Sends the 101 on its own and waits <see cref="EgressOptions.HelloDelay"/> before HELLO may follow; false when the
    /// peer is gone or the server stops meanwhile.</summary>
    /// <remarks>Some libraries read the 101 and drop whatever else came in the same read, so they never see a HELLO that
    /// arrived with it. A send of its own is not enough: a reader woken a moment late still finds both bytes in one read
    /// (a .NET client did, 199 times in 200, on loopback), so HELLO also waits a little
    /// (docs/configuration.md, "The upgrade").</remarks>
    private async Task<bool> SendUpgradeAloneAsync(IDuplexPipe transport)
    {
        try
        {
            FlushResult flushed = await transport.Output.FlushAsync(_stop.Token).ConfigureAwait(false);
            if (flushed.IsCompleted || flushed.IsCanceled) return false;
            TimeSpan delay = _context.Options.HelloDelay;
            if (delay > TimeSpan.Zero) await Task.Delay(delay, _stop.Token).ConfigureAwait(false);
            return true;
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or SocketException or InvalidOperationException)
        {
            return false;
        }
    }

    /// <summary>Reads one HTTP request; null (after answering an invalid one) when there is none.</summary>
    private async Task<HttpRequest?> ReadRequestAsync(IDuplexPipe transport, CancellationToken ct)
    {
        PipeReader input = transport.Input;
        while (true)
        {
            ReadResult result = await input.ReadAsync(ct).ConfigureAwait(false);
            ReadOnlySequence<byte> buffer = result.Buffer;
            HttpParseStatus status = HttpRequestParser.TryParse(buffer, _context.Options.HttpLimits, out HttpRequest? request, out SequencePosition consumed,
                out int errorStatus, out string? errorReason);
            if (status == HttpParseStatus.Complete)
            {
                input.AdvanceTo(consumed);
                return request;
            }

            if (status == HttpParseStatus.Invalid)
            {
                input.AdvanceTo(buffer.End);
                _context.Metrics.Refused(RefusalReason.BadRequest);
                WriteText(transport.Output, errorStatus, errorReason ?? "bad request");
                return null;
            }

            input.AdvanceTo(buffer.Start, buffer.End);
            if (result.IsCompleted) return null;
        }
    }

    /// <summary>Checks the upgrade and the gateway query, answering 101 or an error that says why.</summary>
    private static bool TryAcceptUpgrade(IDuplexPipe transport, HttpRequest request, out TransportCompression compression)
    {
        compression = TransportCompression.None;
        if (!WebSocketHandshake.TryValidateUpgrade(request, out int status, out string? reason))
        {
            if (status == 426)
            {
                WebSocketHandshake.WriteUpgradeRequired(transport.Output, reason ?? "WebSocket upgrade required");
            }
            else
            {
                WriteText(transport.Output, status, reason ?? "bad WebSocket upgrade");
            }

            return false;
        }

        // Refused at the upgrade with a body that says why: a 4xxx close would make libraries reconnect in a loop.
        string? encoding = request.GetQueryValue("encoding");
        if (encoding is not null && !string.Equals(encoding, "json", StringComparison.OrdinalIgnoreCase))
        {
            WriteText(transport.Output, 400, string.Equals(encoding, "etf", StringComparison.OrdinalIgnoreCase)
                ? "etf encoding is not supported; connect with encoding=json"
                : $"encoding '{encoding}' is not supported; connect with encoding=json");
            return false;
        }

        // v9 clients get the v10 payloads the proxy relays (docs/configuration.md, "Gateway versions").
        string? version = request.GetQueryValue("v");
        if (version is not null && version is not ("10" or "9"))
        {
            WriteText(transport.Output, 400, $"gateway version v={version} is not supported; this proxy serves v=9 and v=10");
            return false;
        }

        string? compress = request.GetQueryValue("compress");
        if (!TransportCompressions.TryParse(compress, out compression))
        {
            WriteText(transport.Output, 400, $"compress={compress} is not supported; use zlib-stream or zstd-stream");
            return false;
        }

        WebSocketHandshake.WriteSwitchingProtocols(transport.Output, request.WebSocketKey!);
        return true;
    }

    private static void WriteText(PipeWriter output, int status, string text)
    {
        byte[] body = System.Text.Encoding.UTF8.GetBytes(text);
        WebSocketHandshake.WriteResponse(output, status, ReasonPhrase(status), "text/plain; charset=utf-8", body);
    }

    private static string ReasonPhrase(int status) => status switch
    {
        200 => "OK",
        202 => "Accepted",
        401 => "Unauthorized",
        409 => "Conflict",
        422 => "Unprocessable Entity",
        502 => "Bad Gateway",
        400 => "Bad Request",
        404 => "Not Found",
        405 => "Method Not Allowed",
        408 => "Request Timeout",
        413 => "Payload Too Large",
        414 => "URI Too Long",
        426 => "Upgrade Required",
        429 => "Too Many Requests",
        431 => "Request Header Fields Too Large",
        503 => "Service Unavailable",
        _ => "Error",
    };

    /// <summary>Flushes what was written (a response), completes the output and waits, bounded, for the peer to close.</summary>
    private async Task CloseTransportAsync(IDuplexPipe transport)
    {
        try
        {
            await transport.Output.FlushAsync().ConfigureAwait(false);
            await transport.Output.CompleteAsync().ConfigureAwait(false);
            using var timeout = new CancellationTokenSource(_context.Options.CloseTimeout);
            while (true)
            {
                ReadResult result = await transport.Input.ReadAsync(timeout.Token).ConfigureAwait(false);
                transport.Input.AdvanceTo(result.Buffer.End);
                if (result.IsCompleted) break;
            }
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or System.Net.Sockets.SocketException or InvalidOperationException or ObjectDisposedException)
        {
            // Timed out or already gone.
        }
    }
}
