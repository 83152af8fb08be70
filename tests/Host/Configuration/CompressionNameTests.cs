using System.Text.Json;
using GatewayProxy.Host.Configuration;
using GatewayProxy.Host.Wiring;
using GatewayProxy.Protocol.Compression;
using Xunit;

namespace GatewayProxy.Tests.Host.Configuration;

/// <summary>One spelling per compression: config's <c>upstream.compression</c>, metric labels and the URL's <c>compress=</c>.</summary>
public sealed class CompressionNameTests
{
    [Theory]
    [InlineData(UpstreamCompression.ZlibStream)]
    [InlineData(UpstreamCompression.ZstdStream)]
    [InlineData(UpstreamCompression.None)]
    public void The_config_name_of_an_upstream_compression_is_its_transport_name(UpstreamCompression configured)
    {
        string configName = JsonSerializer.Deserialize<string>(JsonSerializer.Serialize(configured))!;
        Assert.Equal(configName, TransportCompressions.ToName(OptionsMapping.ToTransport(configured)));
    }

    [Theory]
    [InlineData(TransportCompression.None, "none", "")]
    [InlineData(TransportCompression.ZlibStream, "zlib-stream", "zlib-stream")]
    [InlineData(TransportCompression.ZstdStream, "zstd-stream", "zstd-stream")]
    public void None_is_named_none_and_left_out_of_the_url(TransportCompression compression, string name, string queryValue)
    {
        Assert.Equal(name, TransportCompressions.ToName(compression));
        Assert.Equal(queryValue, TransportCompressions.ToQueryValue(compression));
    }
}
