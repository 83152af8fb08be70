using System.Globalization;
using System.IO.Pipelines;
using System.Text;
using GatewayProxy.Egress.Http;
using GatewayProxy.Protocol.Http;
using Prometheus;

namespace GatewayProxy.Egress;

/// <summary>The plain HTTP endpoints on the client port: /metrics, /health, /shard-count.</summary>
public sealed partial class ProxyServer
{
    /// <summary>Answers the request when it is for an HTTP endpoint (or is not an upgrade at all); false for a gateway upgrade.</summary>
    private async Task<bool> TryServeHttpAsync(IDuplexPipe transport, HttpRequest request)
    {
        string path = request.Path.Length > 1 ? request.Path.TrimEnd('/') : request.Path;
        bool endpoint = path is "/metrics" or "/health" or "/shard-count";
        if (!endpoint) return false;

        if (request.Method is not ("GET" or "HEAD"))
        {
            WriteText(transport.Output, 405, "only GET is supported here");
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
            // The reference implementation's /shard-count: the bot's total shard count as plain text.
            byte[] body = Encoding.ASCII.GetBytes(_context.Shards.TotalShards.ToString(CultureInfo.InvariantCulture));
            WebSocketHandshake.WriteResponse(transport.Output, 200, "OK", "text/plain; charset=utf-8", request.Method == "HEAD" ? default : body);
        }

        await CloseTransportAsync(transport).ConfigureAwait(false);
        return true;
    }
}
