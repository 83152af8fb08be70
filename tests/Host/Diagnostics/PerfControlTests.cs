using System.Globalization;
using GatewayProxy.Host.Diagnostics;
using GatewayProxy.Tests.Support;
using GatewayProxy.Tooling;
using Xunit;

namespace GatewayProxy.Tests.Host.Diagnostics;

/// <summary>The perf driver's stdin controls: off unless GATEWAYPROXY_PERF_CONTROL=1; then "gc" forces a full GC and "gcstats" reports the pauses.</summary>
public sealed class PerfControlTests
{
    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("0")]
    [InlineData("true")]
    public void Off_unless_the_variable_is_1(string? value)
    {
        Assert.Null(PerfControl.StartFromEnvironment(name => name == PerfControl.Variable ? value : null));
    }

    [Fact]
    public async Task Forced_collections_show_up_in_the_pause_report()
    {
        string dir = Directory.CreateTempSubdirectory("gp-perfctl-").FullName;
        try
        {
            await using ChildProcess proxy = ProxyProcess.Start(["--simulate", "--port", "0", "--sim-shards", "1", "--sim-guilds", "2"], dir,
                new Dictionary<string, string> { [PerfControl.Variable] = "1" }, redirectInput: true);
            await proxy.WaitForLineAsync("Connect your bot to ws://127.0.0.1:", TimeSpan.FromSeconds(90));
            await Ask(proxy, "gcstats");

            string gc = await Ask(proxy, "gc");
            Assert.True(long.Parse(Value(gc, "heap"), CultureInfo.InvariantCulture) > 0, gc);

            // Two forced full collections since the last report: each is a gen2 with at least one pause and a heap size after it.
            string stats = await Ask(proxy, "gcstats");
            Assert.True(int.Parse(Value(stats, "gen2"), CultureInfo.InvariantCulture) >= 2, stats);
            Assert.True(int.Parse(Value(stats, "pauses"), CultureInfo.InvariantCulture) >= 2, stats);
            Assert.True(double.Parse(Value(stats, "max_ms"), CultureInfo.InvariantCulture) > 0, stats);
            Assert.True(Value(stats, "gen2_heaps").Split(',').Length >= 2, stats);

            // A report resets the counts.
            string again = await Ask(proxy, "gcstats");
            Assert.Equal(0, int.Parse(Value(again, "gen2"), CultureInfo.InvariantCulture));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    private static async Task<string> Ask(ChildProcess proxy, string command)
    {
        Task<string> answer = proxy.WaitForLineAsync("perf " + command + " ", TimeSpan.FromSeconds(60));
        await proxy.WriteLineAsync(command);
        return await answer;
    }

    private static string Value(string line, string key)
    {
        foreach (string part in line.Split(' '))
        {
            if (part.StartsWith(key + "=", StringComparison.Ordinal))
            {
                return part[(key.Length + 1)..];
            }
        }

        throw new InvalidOperationException($"no {key}= in \"{line}\"");
    }
}
