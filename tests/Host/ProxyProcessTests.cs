using GatewayProxy.Tests.Support;
using GatewayProxy.Tooling;
using Xunit;

namespace GatewayProxy.Tests.Host;

/// <summary>The executable as a child process: a bad config exits with code 2 naming the field; SIGTERM stops it cleanly.</summary>
public sealed class ProxyProcessTests
{
    [Fact]
    public async Task Bad_config_exits_with_code_2_and_names_the_field()
    {
        string dir = Directory.CreateTempSubdirectory("gp-proc-").FullName;
        try
        {
            await File.WriteAllTextAsync(Path.Combine(dir, "config.json"), """{ "token": "x", "ring_size": 1000 }""");
            await using ChildProcess proxy = ProxyProcess.Start(["--config", "config.json"], dir);
            int code = await proxy.WaitForExitAsync(TimeSpan.FromSeconds(60));
            Assert.Equal(2, code);
            Assert.Contains("ring_size", proxy.Output, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public async Task Simulated_run_prints_the_url_and_stops_on_sigterm_with_code_0()
    {
        string dir = Directory.CreateTempSubdirectory("gp-proc-").FullName;
        try
        {
            await using ChildProcess proxy = ProxyProcess.Start(["--simulate", "--port", "0", "--sim-shards", "1", "--sim-guilds", "2"], dir);
            string line = await proxy.WaitForLineAsync("Connect your bot to ws://127.0.0.1:", TimeSpan.FromSeconds(90));
            Assert.DoesNotContain(":0 ", line, StringComparison.Ordinal);
            proxy.SendSigterm();
            Assert.Equal(0, await proxy.WaitForExitAsync(TimeSpan.FromSeconds(60)));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
