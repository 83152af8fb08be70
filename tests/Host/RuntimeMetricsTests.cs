using System.Globalization;
using GatewayProxy.Tests.Host.EndToEnd;
using Xunit;

namespace GatewayProxy.Tests.Host;

/// <summary>The proxy's own runtime gauges on /metrics (read by the end-to-end perf driver before and after its window).</summary>
public sealed class RuntimeMetricsTests
{
    [Fact]
    public async Task Metrics_report_allocated_bytes_gc_counts_and_cpu_time_of_the_process()
    {
        await using ProxyFixture proxy = await ProxyFixture.StartAsync();
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        var url = new Uri($"http://127.0.0.1:{proxy.Proxy.LocalEndPoint.Port}/metrics");
        double first = Value(await http.GetStringAsync(url), "gateway_process_allocated_bytes ");
        GC.KeepAlive(new byte[1 << 20]);
        string text = await http.GetStringAsync(url);
        Assert.True(Value(text, "gateway_process_allocated_bytes ") >= first + (1 << 20), "allocating 1 MiB shows in the gauge");
        Assert.True(Value(text, "gateway_gc_collections{generation=\"0\"} ") >= Value(text, "gateway_gc_collections{generation=\"2\"} "));
        Assert.True(Value(text, "gateway_process_cpu_seconds ") > 0);
        Assert.True(Value(text, "gateway_process_heap_bytes ") > 0, "the managed heap holds the proxy's objects");
    }

    private static double Value(string metrics, string prefix)
    {
        foreach (string line in metrics.Split('\n'))
        {
            if (line.StartsWith(prefix, StringComparison.Ordinal))
            {
                return double.Parse(line[prefix.Length..], CultureInfo.InvariantCulture);
            }
        }

        Assert.Fail($"/metrics has no line starting with \"{prefix}\":\n{metrics}");
        return 0;
    }
}
