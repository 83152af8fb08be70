using System.Text;
using Prometheus;

namespace GatewayProxy.Tests.Support;

/// <summary>The Prometheus text a registry exports, as a scrape of <c>/metrics</c> would read it.</summary>
internal static class MetricsText
{
    /// <summary>Exports <paramref name="registry"/> in the text format.</summary>
    public static async Task<string> ScrapeAsync(CollectorRegistry registry)
    {
        using var stream = new MemoryStream();
        await registry.CollectAndExportAsTextAsync(stream);
        return Encoding.UTF8.GetString(stream.ToArray());
    }
}
