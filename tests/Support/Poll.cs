using System.Diagnostics;
using Xunit;

namespace GatewayProxy.Tests.Support;

/// <summary>The one bounded poll the tests wait with: the condition is checked every few milliseconds, and the test
/// fails with what it awaited once <c>limit</c> has passed (a failure guard, never a timing assertion).</summary>
internal static class Poll
{
    /// <summary>Completes once <paramref name="condition"/> holds; fails with <paramref name="what"/> after <paramref name="limit"/>.</summary>
    public static async Task UntilAsync(Func<bool> condition, TimeSpan limit, Func<string> what)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            if (clock.Elapsed > limit) Assert.Fail($"timed out after {limit} waiting for {what()}");
            await Task.Delay(10, CancellationToken.None);
        }
    }
}
