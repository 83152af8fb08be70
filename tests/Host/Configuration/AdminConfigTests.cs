using System.Net;
using GatewayProxy.Host.Configuration;
using GatewayProxy.Host.Wiring;
using Xunit;
using static GatewayProxy.Tests.Host.Configuration.ConfigTestData;

namespace GatewayProxy.Tests.Host.Configuration;

/// <summary><c>admin</c> and <c>auto_reshard</c>: off by default, validated with messages that never echo the admin token.</summary>
public class AdminConfigTests
{
    [Theory]
    [InlineData("\"admin\": {\"token\": \"short\"}", "config.json: \"admin.token\" must be a string of at least 16 characters without whitespace")]
    [InlineData("\"admin\": {\"token\": \"has some spaces in it 1234\"}", "config.json: \"admin.token\" must be a string of at least 16 characters without whitespace")]
    [InlineData("\"admin\": {\"listen\": \"127.0.0.1:7879\"}", "config.json: \"admin.token\" is missing, wanted a string of at least 16 characters (admin requests send it as Authorization: Bearer <token>)")]
    [InlineData("\"admin\": {\"listen\": \"localhost:7879\", \"token\": \"0123456789abcdef\"}", "config.json: \"admin.listen\" is \"localhost:7879\", wanted \"ip:port\" of the admin listener (e.g. \"127.0.0.1:7879\"), or null for the client port or null")]
    [InlineData("\"admin\": {\"listen\": \"127.0.0.1\", \"token\": \"0123456789abcdef\"}", "config.json: \"admin.listen\" is \"127.0.0.1\", wanted \"ip:port\" of the admin listener (e.g. \"127.0.0.1:7879\"), or null for the client port or null")]
    [InlineData("\"admin\": \"secret-secret-secret\"", "config.json: \"admin\" is a string, wanted an object like {\"listen\": \"127.0.0.1:7879\", \"token\": \"<at least 16 characters>\"} or null")]
    [InlineData("\"auto_reshard\": \"yes\"", "config.json: \"auto_reshard\" is \"yes\", wanted true or false")]
    [InlineData("\"admin\": {\"token\": \"0123456789abcdef\", \"port\": 1}", "config.json: unknown key \"admin.port\" (did you mean \"port\"?)")]
    public void Bad_admin_settings_are_named(string fields, string expected)
    {
        Assert.Equal([expected], ErrorsWith(fields));
    }

    [Fact]
    public void Admin_is_off_by_default_and_maps_to_the_listener_and_token_when_set()
    {
        ProxyConfig plain = LoadWith("\"port\": 7878");
        Assert.Null(plain.Admin);
        Assert.False(plain.AutoReshard);
        Assert.Null(OptionsMapping.ToEgress(plain, Prometheus.Metrics.NewCustomRegistry()).AdminToken);

        ProxyConfig config = LoadWith("\"admin\": {\"listen\": \"127.0.0.1:7879\", \"token\": \"0123456789abcdef-secret\"}, \"auto_reshard\": true");
        Assert.True(config.AutoReshard);
        var egress = OptionsMapping.ToEgress(config, Prometheus.Metrics.NewCustomRegistry());
        Assert.Equal("0123456789abcdef-secret", egress.AdminToken);
        Assert.Equal(new IPEndPoint(IPAddress.Loopback, 7879), egress.AdminEndPoint);
        // The admin token is a secret: the printed configuration never carries it.
        Assert.DoesNotContain("0123456789abcdef-secret", config.ToString(), StringComparison.Ordinal);
    }
}
