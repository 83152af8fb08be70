using GatewayProxy.Protocol.Compression;

namespace GatewayProxy.Ingress.Connection;

/// <summary>Builds the URL a shard connects to: the bare gateway (or resume) URL plus <c>?v=10&amp;encoding=json[&amp;compress=…]</c>.</summary>
public static class GatewayUrl
{
    /// <summary>The gateway API version.</summary>
    public const int ApiVersion = 10;

    /// <summary>The connect URL for <paramref name="baseUrl"/> (any query it has is replaced).</summary>
    public static Uri Build(Uri baseUrl, TransportCompression compression)
    {
        ArgumentNullException.ThrowIfNull(baseUrl);
        var builder = new UriBuilder(baseUrl)
        {
            Query = compression == TransportCompression.None
                ? $"v={ApiVersion}&encoding=json"
                : $"v={ApiVersion}&encoding=json&compress={TransportCompressions.ToQueryValue(compression)}",
        };
        if (string.IsNullOrEmpty(builder.Path))
        {
            builder.Path = "/";
        }

        return builder.Uri;
    }

    /// <summary>The Host header value: host, plus the port when it is not the scheme's default.</summary>
    public static string HostHeader(Uri url)
    {
        ArgumentNullException.ThrowIfNull(url);
        return url.IsDefaultPort ? url.IdnHost : url.IdnHost + ":" + url.Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
    }
}
