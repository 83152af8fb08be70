using System.Globalization;
using System.IO.Pipelines;
using System.Text;
using GatewayProxy.Egress.Http;
using GatewayProxy.Protocol.Http;
using Prometheus;

namespace GatewayProxy.Egress;

/// <summary>The plain HTTP endpoints on the client port: /metrics, /health, /shard-count, and REST gateway discovery
/// (/api[/vN]/gateway[/bot]).</summary>
public sealed partial class ProxyServer
{
    /// <summary>Answers the request when it is for an HTTP endpoint (or is not an upgrade at all); false for a gateway upgrade.</summary>
    private async Task<bool> TryServeHttpAsync(IDuplexPipe transport, HttpRequest request)
    {
        string path = request.Path.Length > 1 ? request.Path.TrimEnd('/') : request.Path;
        if (IsAdminPath(path))
        {
            await ServeAdminAsync(transport.Output, request, path, adminListener: false).ConfigureAwait(false);
            await CloseTransportAsync(transport).ConfigureAwait(false);
            return true;
        }

        bool discovery = GatewayDiscovery.TryMatch(path, out bool bot);
        bool endpoint = discovery || path is "/metrics" or "/health" or "/shard-count";
        if (!endpoint) return false;

        if (request.Method is not ("GET" or "HEAD"))
        {
            WriteText(transport.Output, 405, "only GET is supported here");
        }
        else if (discovery)
        {
            ServeDiscovery(transport.Output, request, bot);
        }
        else if (path == "/metrics")
        {
            using var stream = new MemoryStream();
            await _context.Options.Metrics.CollectAndExportAsTextAsync(stream).ConfigureAwait(false);
            WebSocketHandshake.WriteResponse(transport.Output, 200, "OK", "text/plain; version=0.0.4; charset=utf-8",
                request.Method == "HEAD" ? default : stream.GetBuffer().AsSpan(0, (int)stream.Length));
        }
        else if (path == "/health")
        {
            byte[] body = HealthReport.Build(_context, out bool healthy);
            WebSocketHandshake.WriteResponse(transport.Output, healthy ? 200 : 503, healthy ? "OK" : "Service Unavailable", "application/json",
                request.Method == "HEAD" ? default : body);
        }
        else
        {
            // The reference implementation's /shard-count: the shard count clients should use, as plain text.
            byte[] body = Encoding.ASCII.GetBytes(AdvertisedShards.ToString(CultureInfo.InvariantCulture));
            WebSocketHandshake.WriteResponse(transport.Output, 200, "OK", "text/plain; charset=utf-8", request.Method == "HEAD" ? default : body);
        }

        await CloseTransportAsync(transport).ConfigureAwait(false);
        return true;
    }

    /// <summary><c>client_shards</c>, or the upstream shard count when it is not set.</summary>
    private int AdvertisedShards => _context.Options.ClientShards ?? _context.Shards.TotalShards;

    private void ServeDiscovery(PipeWriter output, HttpRequest request, bool bot)
    {
        // /gateway/bot is authenticated at Discord: a wrong token gets the same 401 here, so a misconfigured bot learns it early.
        if (bot && _context.Options.ValidateToken
            && !Clients.ClientIdentify.TokenMatches(request.GetHeader("Authorization") ?? string.Empty, _context.Options.Token))
        {
            WebSocketHandshake.WriteResponse(output, 401, "Unauthorized", "application/json", """{"message": "401: Unauthorized", "code": 0}"""u8);
            return;
        }

        byte[] body = GatewayDiscovery.Build(bot, _context.ResumeUrl, AdvertisedShards);
        WebSocketHandshake.WriteResponse(output, 200, "OK", "application/json", request.Method == "HEAD" ? default : body);
    }
}
