using System.Globalization;
using System.IO.Pipelines;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using GatewayProxy.Egress.Clients;
using GatewayProxy.Egress.Http;
using GatewayProxy.Egress.Server;
using GatewayProxy.Protocol.Http;
using Pipelines.Sockets.Unofficial;

namespace GatewayProxy.Egress;

/// <summary>The admin endpoints (<c>/admin/reshard</c>): disabled unless an admin token is configured, always behind it,
/// and only on the admin address when one is configured (docs/operations.md, "Virtual shards and resharding").</summary>
public sealed partial class ProxyServer
{
    /// <summary>Where the admin listener listens (the real port when configured with 0), or null when admin is served on
    /// the client port or not at all.</summary>
    public IPEndPoint? AdminEndPoint => _adminListener?.LocalEndPoint as IPEndPoint;

    private static bool IsAdminPath(string path) => path == "/admin" || path.StartsWith("/admin/", StringComparison.Ordinal);

    private static Socket? BindAdmin(EgressOptions options)
    {
        if (options.AdminEndPoint is not { } endPoint) return null;
        var socket = new Socket(endPoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            socket.Bind(endPoint);
            socket.Listen(16);
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    private async Task AdminAcceptLoopAsync(Socket listener)
    {
        CancellationToken ct = _stop.Token;
        while (!ct.IsCancellationRequested)
        {
            Socket socket;
            try
            {
                socket = await listener.AcceptAsync(ct).ConfigureAwait(false);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException)
            {
                return;
            }
            catch (SocketException e)
            {
                EgressLog.AcceptFailed(_context.Logger, e.SocketErrorCode);
                continue;
            }

            SocketConnection.SetRecommendedServerOptions(socket);
            _ = ServeAdminConnectionAsync(SocketConnection.Create(socket, SendOptions, ReceiveOptions));
        }
    }

    private async Task ServeAdminConnectionAsync(SocketConnection connection)
    {
        try
        {
            HttpRequest? request;
            using (var timeout = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token))
            {
                timeout.CancelAfter(_context.Options.HandshakeTimeout);
                try
                {
                    request = await ReadRequestAsync(connection, timeout.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    request = null;
                }
            }

            if (request is not null)
            {
                string path = request.Path.Length > 1 ? request.Path.TrimEnd('/') : request.Path;
                if (IsAdminPath(path)) await ServeAdminAsync(connection.Output, request, path, adminListener: true).ConfigureAwait(false);
                else WriteJson(connection.Output, 404, Message("the admin address serves /admin/reshard only"));
            }

            await CloseTransportAsync(connection).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            EgressLog.ConnectionFailed(_context.Logger, e);
        }
        finally
        {
            connection.Dispose();
        }
    }

    /// <summary>Answers an <c>/admin/*</c> request: token, place and method first, then the handler.</summary>
    private async Task ServeAdminAsync(PipeWriter output, HttpRequest request, string path, bool adminListener)
    {
        EgressOptions options = _context.Options;
        if (options.AdminToken is null)
        {
            WriteJson(output, 404, Message("admin endpoints are disabled: set admin.token in config.json (docs/operations.md)"));
            return;
        }

        if (!adminListener && options.AdminEndPoint is not null)
        {
            WriteJson(output, 404, Message("admin endpoints are served on the admin address (admin.listen) only"));
            return;
        }

        string authorization = request.GetHeader("Authorization") ?? string.Empty;
        if (!authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)
            || !ClientIdentify.TokenMatches(authorization["Bearer ".Length..], options.AdminToken))
        {
            WriteJson(output, 401, Message("admin token required: send Authorization: Bearer <admin.token>"));
            return;
        }

        if (path != "/admin/reshard")
        {
            WriteJson(output, 404, Message($"no admin endpoint {path}; there is /admin/reshard"));
            return;
        }

        if (options.AdminHandler is not { } handler)
        {
            WriteJson(output, 503, Message("resharding is not available in this process"));
            return;
        }

        AdminReply reply;
        if (request.Method is "GET" or "HEAD")
        {
            reply = handler.ReshardStatus();
        }
        else if (request.Method == "POST")
        {
            string? value = request.GetQueryValue("shards");
            if (!int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out int shards) || shards < 1)
            {
                WriteJson(output, 400, Message($"POST /admin/reshard needs ?shards=N with N a positive integer, not '{value}'"));
                return;
            }

            reply = await handler.ReshardAsync(shards, _stop.Token).ConfigureAwait(false);
        }
        else
        {
            WriteJson(output, 405, Message("POST /admin/reshard?shards=N starts a reshard; GET /admin/reshard shows it"));
            return;
        }

        WriteJson(output, reply.Status, reply.Json);
    }

    private static void WriteJson(PipeWriter output, int status, ReadOnlySpan<byte> json) =>
        WebSocketHandshake.WriteResponse(output, status, ReasonPhrase(status), "application/json", json);

    private static byte[] Message(string message)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream))
        {
            writer.WriteStartObject();
            writer.WriteString("message"u8, message);
            writer.WriteEndObject();
        }

        return stream.ToArray();
    }
}
