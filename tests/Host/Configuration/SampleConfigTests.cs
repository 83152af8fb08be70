using GatewayProxy.Host.Configuration;
using GatewayProxy.Host.Logging;
using Xunit;

namespace GatewayProxy.Tests.Host.Configuration;

public class SampleConfigTests
{
    [Fact]
    public void Repository_config_json_loads_with_a_token_from_the_environment()
    {
        var path = Path.Combine(RepositoryRoot(), "config.json");

        var config = ConfigLoader.Load(path, ConfigTestData.Env(ConfigTestData.Token));

        Assert.Equal(ConfigTestData.Token, config.Token);
        Assert.Equal(ProxyLogLevel.Info, config.LogLevel);
        Assert.Equal(32511u, config.Intents);
        Assert.Equal(7878, config.Port);
        Assert.Equal("with kubernetes", config.Activity?.Name);
        Assert.Equal(PresenceStatus.Idle, config.Status);
        Assert.Equal(100, config.Backpressure);
        Assert.Equal(4096, config.RingSize);
        Assert.Equal(120, config.SessionTtlSeconds);
        Assert.Equal(UpstreamCompression.ZlibStream, config.Upstream.Compression);
        Assert.Equal("https://discord.com/api/v10", config.Upstream.ApiBaseUrl);
        Assert.True(config.ValidateToken);
        Assert.Equal(300, config.StateMaxAgeSeconds);
        Assert.Equal(1024, config.MaxConnectionsPerIp);
        Assert.Equal(30, config.UnauthenticatedTimeoutSeconds);
    }

    [Fact]
    public void Repository_config_json_keeps_the_token_empty_and_names_every_key()
    {
        var path = Path.Combine(RepositoryRoot(), "config.json");

        var e = Assert.Throws<ConfigException>(() => ConfigLoader.Load(path, ConfigTestData.NoEnv));
        Assert.Equal([$"{path}: no token: set \"token\" in config.json or the TOKEN environment variable"], e.Errors);

        using var document = System.Text.Json.JsonDocument.Parse(File.ReadAllText(path));
        var keys = document.RootElement.EnumerateObject().Select(p => p.Name).ToHashSet();
        Assert.Subset(keys, ConfigKeys.Root.ToHashSet());
        Assert.Superset(keys, ConfigKeys.Root.ToHashSet());
    }

    internal static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        for (var depth = 0; directory is not null && depth < 32; depth++, directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "GatewayProxy.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"GatewayProxy.sln not found above {AppContext.BaseDirectory}");
    }
}
