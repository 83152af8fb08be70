using System.Text.Json.Serialization.Metadata;
using GatewayProxy.Host.Configuration;
using Xunit;

namespace GatewayProxy.Tests.Host.Configuration;

public class ConfigKeysTests
{
    [Fact]
    public void Validator_keys_are_exactly_the_model_properties()
    {
        var context = ConfigJsonContext.Default;
        Assert.Equal(Names(context.ProxyConfig), ConfigKeys.Root.Order());
        Assert.Equal(Names(context.ActivityConfig), ConfigKeys.Activity.Order());
        Assert.Equal(Names(context.CacheConfig), ConfigKeys.Cache.Order());
        Assert.Equal(Names(context.UpstreamConfig), ConfigKeys.Upstream.Order());
        Assert.Equal(Names(context.TlsConfig), ConfigKeys.Tls.Order());
    }

    [Theory]
    [InlineData("backpresure", "backpressure", 1)]
    [InlineData("prot", "port", 1)]
    [InlineData("port", "port", 0)]
    [InlineData("sharsd", "shards", 1)]
    [InlineData("abc", "xyz", 3)]
    [InlineData("", "abc", 3)]
    public void Edit_distance_counts_a_transposition_as_one(string a, string b, int expected)
    {
        Assert.Equal(expected, DidYouMean.Distance(a, b));
        Assert.Equal(expected, DidYouMean.Distance(b, a));
    }

    [Theory]
    [InlineData("tokn", "token")]
    [InlineData("ring_szie", "ring_size")]
    [InlineData("sesion_ttl_secs", null)]
    [InlineData("ab", null)]
    public void Suggestions_are_only_made_for_near_misses(string typed, string? expected) =>
        Assert.Equal(expected, DidYouMean.Closest(typed, ConfigKeys.Root));

    private static IOrderedEnumerable<string> Names(JsonTypeInfo info) => info.Properties.Select(p => p.Name).Order();
}
