using System.Text;
using System.Text.Json.Nodes;
using GatewayProxy.Protocol.Http;
using GatewayProxy.Simulator.Data;
using GatewayProxy.Simulator.Gateway;

namespace GatewayProxy.Simulator.Transport;

/// <summary>The REST endpoints a gateway client needs: <c>GET /api/v{N}/gateway</c> and <c>/gateway/bot</c>, with Discord's error bodies.</summary>
internal static class RestApi
{
    /// <summary>An HTTP answer: status, reason phrase and JSON body.</summary>
    public readonly record struct Response(int Status, string Reason, byte[] Body);

    /// <summary>Routes one request.</summary>
    public static Response Handle(DiscordSimulator simulator, HttpRequest request)
    {
        var route = Route(request.Path);
        if (route is null)
        {
            return Error(404, "Not Found");
        }

        if (request.Method != "GET")
        {
            return Error(405, "Method Not Allowed");
        }

        if (route == "gateway")
        {
            return Ok(new JsonObject { ["url"] = simulator.GatewayUrlString });
        }

        if (simulator.TakeGatewayBotFailure(out var failure))
        {
            return Error(failure, failure switch { 500 => "Internal Server Error", 502 => "Bad Gateway", 503 => "Service Unavailable", 504 => "Gateway Timeout", _ => "Error" });
        }

        var authorization = request.GetHeader("Authorization");
        if (authorization is null || !authorization.StartsWith("Bot ", StringComparison.Ordinal)
            || !SimulatedIdentify.TokenMatches(authorization, simulator.Options.Token))
        {
            return Error(401, "Unauthorized");
        }

        var (total, remaining, resetAfter, maxConcurrency) = simulator.IdentifyLimits.Snapshot();
        return Ok(new JsonObject
        {
            ["url"] = simulator.GatewayUrlString,
            ["shards"] = simulator.Options.ShardCount,
            ["session_start_limit"] = new JsonObject
            {
                ["total"] = total,
                ["remaining"] = remaining,
                ["reset_after"] = resetAfter,
                ["max_concurrency"] = maxConcurrency,
            },
        });
    }

    /// <summary>"gateway", "gateway/bot" or null for <c>/api[/vN]/gateway[/bot]</c>.</summary>
    private static string? Route(string path)
    {
        if (!path.StartsWith("/api/", StringComparison.Ordinal))
        {
            return null;
        }

        var rest = path[5..];
        if (rest.Length > 1 && rest[0] == 'v' && char.IsAsciiDigit(rest[1]))
        {
            var slash = rest.IndexOf('/', StringComparison.Ordinal);
            if (slash < 0)
            {
                return null;
            }

            rest = rest[(slash + 1)..];
        }

        return rest switch
        {
            "gateway" => "gateway",
            "gateway/bot" => "gateway/bot",
            _ => null,
        };
    }

    private static Response Ok(JsonObject body) => new(200, "OK", Json.ToBytes(body));

    /// <summary>Discord's error body: <c>{"message": "401: Unauthorized", "code": 0}</c>.</summary>
    private static Response Error(int status, string reason) =>
        new(status, reason, Encoding.UTF8.GetBytes($"{{\"message\": \"{status}: {reason}\", \"code\": 0}}"));
}
