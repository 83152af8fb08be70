using System.Buffers;
using System.IO.Pipelines;
using System.Net.Security;
using System.Net.Sockets;
using System.Text;
using GatewayProxy.Protocol.Compression;
using GatewayProxy.Protocol.Http;
using GatewayProxy.Simulator.Gateway;

namespace GatewayProxy.Simulator.Transport;

/// <summary>
/// Serves one accepted TCP connection: (TLS,) HTTP/1.1 requests with keep-alive; a REST path is answered with JSON,
/// <c>/queue</c> is the identify queue, a WebSocket upgrade becomes a <see cref="GatewayConnection"/>.
/// </summary>
internal static class HttpFront
{
    private static readonly HttpRequestLimits Limits = new();

    /// <summary>Runs the connection until the client closes it or it becomes a gateway connection that ends.</summary>
    public static async Task HandleAsync(DiscordSimulator simulator, Socket socket, CancellationToken ct)
    {
        Stream stream = new NetworkStream(socket, ownsSocket: true);
        try
        {
            if (simulator.Certificate is { } certificate)
            {
                var ssl = new SslStream(stream, leaveInnerStreamOpen: false);
                stream = ssl;
                using var handshakeTimeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
                handshakeTimeout.CancelAfter(TimeSpan.FromSeconds(15));
                await ssl.AuthenticateAsServerAsync(new SslServerAuthenticationOptions { ServerCertificate = certificate }, handshakeTimeout.Token).ConfigureAwait(false);
            }

            var input = PipeReader.Create(stream, new StreamPipeReaderOptions(bufferSize: 65536, leaveOpen: true));
            var output = PipeWriter.Create(stream, new StreamPipeWriterOptions(leaveOpen: true));
            while (!ct.IsCancellationRequested)
            {
                var (request, error) = await ReadRequestAsync(input, ct).ConfigureAwait(false);
                if (request is null)
                {
                    if (error is { } e)
                    {
                        WebSocketHandshake.WriteResponse(output, e.Status, "Bad Request", "text/plain; charset=utf-8", Encoding.UTF8.GetBytes(e.Reason));
                        await output.FlushAsync(ct).ConfigureAwait(false);
                    }

                    return;
                }

                if (request.GetHeader("Upgrade") is not null)
                {
                    await UpgradeAsync(simulator, socket, request, input, output, ct).ConfigureAwait(false);
                    return;
                }

                var response = QueueEndpoint.Matches(request)
                    ? await QueueEndpoint.HandleAsync(simulator, request, ct).ConfigureAwait(false)
                    : RestApi.Handle(simulator, request);
                var close = request.HeaderHasToken("Connection", "close") || request.Version != "HTTP/1.1";
                WebSocketHandshake.WriteResponse(output, response.Status, response.Reason, "application/json", response.Body, close);
                await output.FlushAsync(ct).ConfigureAwait(false);
                if (close)
                {
                    return;
                }
            }
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException or OperationCanceledException or System.Security.Authentication.AuthenticationException)
        {
            // The client went away or failed the TLS handshake.
        }
        finally
        {
            await stream.DisposeAsync().ConfigureAwait(false);
        }
    }

    private static async Task<(HttpRequest? Request, (int Status, string Reason)? Error)> ReadRequestAsync(PipeReader input, CancellationToken ct)
    {
        while (true)
        {
            var result = await input.ReadAsync(ct).ConfigureAwait(false);
            var buffer = result.Buffer;
            var status = HttpRequestParser.TryParse(buffer, Limits, out var request, out var consumed, out var errorStatus, out var errorReason);
            switch (status)
            {
                case HttpParseStatus.Complete:
                    input.AdvanceTo(consumed);
                    return (request, null);
                case HttpParseStatus.Invalid:
                    input.AdvanceTo(buffer.End);
                    return (null, (errorStatus == 0 ? 400 : errorStatus, errorReason ?? "bad request"));
                default:
                    input.AdvanceTo(buffer.Start, buffer.End);
                    if (result.IsCompleted)
                    {
                        return (null, null);
                    }

                    break;
            }
        }
    }

    private static async Task UpgradeAsync(DiscordSimulator simulator, Socket socket, HttpRequest request, PipeReader input, PipeWriter output, CancellationToken ct)
    {
        if (!WebSocketHandshake.TryValidateUpgrade(request, out var status, out var reason))
        {
            if (status == 426)
            {
                WebSocketHandshake.WriteUpgradeRequired(output, reason ?? "upgrade required");
            }
            else
            {
                WebSocketHandshake.WriteResponse(output, status, "Bad Request", "text/plain; charset=utf-8", Encoding.UTF8.GetBytes(reason ?? "bad request"));
            }

            await output.FlushAsync(ct).ConfigureAwait(false);
            return;
        }

        var refusal = CheckQuery(request, out var compression, out var versionProblem);
        if (refusal is not null)
        {
            WebSocketHandshake.WriteResponse(output, 400, "Bad Request", "text/plain; charset=utf-8", Encoding.UTF8.GetBytes(refusal));
            await output.FlushAsync(ct).ConfigureAwait(false);
            return;
        }

        WebSocketHandshake.WriteSwitchingProtocols(output, request.WebSocketKey!);
        await output.FlushAsync(ct).ConfigureAwait(false);
        var connection = new GatewayConnection(simulator, simulator.NextConnectionId(), socket, input, output, compression, versionProblem);
        simulator.Log($"connection {connection.Id}: gateway {request.Target}");
        await simulator.RunConnectionAsync(connection).ConfigureAwait(false);
    }

    /// <summary>
    /// Checks <c>encoding</c> (JSON only: ETF is refused here with 400, as a 4xxx close makes libraries loop),
    /// <c>compress</c> and <c>v</c> (a wrong version is a 4012 close after HELLO, as Discord does).
    /// </summary>
    private static string? CheckQuery(HttpRequest request, out TransportCompression compression, out string? versionProblem)
    {
        versionProblem = null;
        compression = TransportCompression.None;
        var encoding = request.GetQueryValue("encoding");
        if (encoding is not null && encoding != "json")
        {
            return encoding == "etf"
                ? "encoding=etf (Erlang term format) is not supported by this gateway: use encoding=json"
                : $"unknown encoding '{encoding}': use encoding=json";
        }

        if (!TransportCompressions.TryParse(request.GetQueryValue("compress"), out compression))
        {
            return $"unknown compress '{request.GetQueryValue("compress")}': use zlib-stream or zstd-stream";
        }

        var version = request.GetQueryValue("v");
        if (version is not null && version is not ("10" or "9"))
        {
            versionProblem = "Invalid API version.";
        }

        return null;
    }
}
