using System.Text.Json;

namespace GatewayProxy.Egress.Http;

/// <summary>Discord's REST gateway discovery answered by the proxy itself: <c>GET /api[/v6..v10]/gateway[/bot]</c>.</summary>
/// <remarks>
/// Libraries call <c>/gateway/bot</c> before they connect, to learn the URL, the shard count and how fast they may
/// IDENTIFY. Pointing their REST base at the proxy for this one call means no Discord round trip and an answer about
/// the proxy: its URL, the bot's total shard count, and the proxy's own identify limits — clients identify to the
/// proxy, which never forwards a client IDENTIFY upstream, so there is no daily budget to spend and no reason to make
/// shards wait for one another.
/// </remarks>
internal static class GatewayDiscovery
{
    /// <summary>What a client may start per "day": large, so libraries never wait on it.</summary>
    public const int SessionStartTotal = 1000;

    /// <summary>Recognises the discovery paths (trailing slash already trimmed); <paramref name="bot"/> for <c>/gateway/bot</c>.</summary>
    public static bool TryMatch(string path, out bool bot)
    {
        bot = false;
        ReadOnlySpan<char> rest = path;
        if (!rest.StartsWith("/api/", StringComparison.Ordinal)) return false;
        rest = rest[5..];
        if (rest.Length > 1 && rest[0] == 'v' && char.IsAsciiDigit(rest[1]))
        {
            int slash = rest.IndexOf('/');
            if (slash < 0 || !int.TryParse(rest[1..slash], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int version)
                || version is < 6 or > 10)
            {
                return false;
            }

            rest = rest[(slash + 1)..];
        }

        if (rest.SequenceEqual("gateway")) return true;
        bot = rest.SequenceEqual("gateway/bot");
        return bot;
    }

    /// <summary>The JSON body: <c>{"url"}</c>, plus <c>shards</c> and <c>session_start_limit</c> for <c>/gateway/bot</c>.</summary>
    public static byte[] Build(bool bot, string url, int totalShards)
    {
        using var stream = new MemoryStream(256);
        using (var json = new Utf8JsonWriter(stream))
        {
            json.WriteStartObject();
            json.WriteString("url", url);
            if (bot)
            {
                json.WriteNumber("shards", totalShards);
                json.WriteStartObject("session_start_limit");
                json.WriteNumber("total", SessionStartTotal);
                json.WriteNumber("remaining", SessionStartTotal);
                json.WriteNumber("reset_after", 0);
                // Every shard in its own bucket: the proxy answers IDENTIFY from its cache, it has nothing to pace.
                json.WriteNumber("max_concurrency", Math.Max(1, totalShards));
                json.WriteEndObject();
            }

            json.WriteEndObject();
        }

        return stream.ToArray();
    }
}
