using FsCheck;
using FsCheck.Xunit;
using GatewayProxy.Host.Logging;
using Xunit;

namespace GatewayProxy.Tests.Host.Logging;

public class ProxyLogTests
{
    private const string Token = "MTEyMzQ1Njc4OTAxMjM0NTY3OA.GhIjKl.abcdefghijklmnopqrstuvwxyz0123456789AB";

    private sealed class FixedTime(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }

    private static readonly FixedTime Time = new(new DateTimeOffset(2026, 11, 28, 1, 2, 3, 456, TimeSpan.Zero));

    [Fact]
    public void Lines_carry_timestamp_padded_level_and_shard()
    {
        var (log, output, _) = Create(ProxyLogLevel.Trace);

        log.Info("message", shard: 3);
        log.Error("broken");
        log.Debug("detail", shard: 0);

        Assert.Equal(
            "2026-11-28T01:02:03.456Z INFO  [shard 3] message\n2026-11-28T01:02:03.456Z DEBUG [shard 0] detail\n",
            output.ToString().ReplaceLineEndings("\n"));
    }

    [Fact]
    public void Warnings_and_errors_go_to_the_error_writer()
    {
        var (log, output, errors) = Create(ProxyLogLevel.Trace);

        log.Trace("t");
        log.Warn("w", shard: 1);
        log.Error("e", exception: new InvalidOperationException("boom"));

        Assert.Equal("2026-11-28T01:02:03.456Z TRACE t\n", output.ToString().ReplaceLineEndings("\n"));
        var lines = errors.ToString().ReplaceLineEndings("\n");
        Assert.StartsWith("2026-11-28T01:02:03.456Z WARN  [shard 1] w\n2026-11-28T01:02:03.456Z ERROR e: System.InvalidOperationException: boom", lines);
    }

    [Fact]
    public void Lines_below_the_minimum_level_are_dropped_and_the_minimum_can_change_live()
    {
        var (log, output, errors) = Create(ProxyLogLevel.Warn);

        log.Info("hidden");
        Assert.False(log.IsEnabled(ProxyLogLevel.Info));
        log.MinimumLevel = ProxyLogLevel.Debug;
        log.Debug("shown");
        log.Trace("still hidden");
        log.MinimumLevel = ProxyLogLevel.Error;
        log.Warn("hidden too");

        Assert.Equal("2026-11-28T01:02:03.456Z DEBUG shown\n", output.ToString().ReplaceLineEndings("\n"));
        Assert.Equal("", errors.ToString());
        Assert.Equal(ProxyLogLevel.Error, log.MinimumLevel);
    }

    [Fact]
    public void Secrets_are_redacted_from_messages_and_exceptions()
    {
        var (log, output, errors) = Create(ProxyLogLevel.Trace);
        log.AddSecret(Token);

        log.Info($"identify with {Token}, header Bot {Token}");
        log.Error("request failed", exception: new HttpRequestException($"401 for token {Token}"));

        var all = output.ToString() + errors.ToString();
        Assert.DoesNotContain(Token, all);
        Assert.Contains("identify with [redacted], header Bot [redacted]", all);
        Assert.Contains("401 for token [redacted]", all);
    }

    [Fact]
    public void A_secret_containing_another_is_redacted_whole()
    {
        var (log, output, _) = Create(ProxyLogLevel.Trace);
        log.AddSecret("abcd");
        log.AddSecret("abcdefgh");

        log.Info("x abcdefgh y abcd");

        Assert.EndsWith(" INFO  x [redacted] y [redacted]\n", output.ToString().ReplaceLineEndings("\n"));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("abc")]
    public void Empty_or_tiny_secrets_are_ignored(string? secret)
    {
        var (log, output, _) = Create(ProxyLogLevel.Trace);
        log.AddSecret(secret);

        log.Info("abc abc");

        Assert.EndsWith(" INFO  abc abc\n", output.ToString().ReplaceLineEndings("\n"));
    }

    [Property(MaxTest = 1000)]
    public bool Redaction_removes_every_occurrence_of_a_secret_from_any_message(string? prefix, string? middle, NonNegativeInt id)
    {
        // Shaped like a token: base64url segments joined by dots, never a substring of the marker itself.
        var secret = $"MT{id.Get}.Gh.x9";
        var log = new ProxyLog(TextWriter.Null, TextWriter.Null, ProxyLogLevel.Trace);
        log.AddSecret(secret);

        var redacted = log.Redact(prefix + secret + middle + secret);

        return !redacted.Contains(secret, StringComparison.Ordinal)
            && redacted.EndsWith(ProxyLog.RedactedMarker, StringComparison.Ordinal);
    }

    [Fact]
    public void Concurrent_writers_never_interleave_within_a_line()
    {
        var (log, output, _) = Create(ProxyLogLevel.Trace);
        const int writers = 4;
        const int perWriter = 250;

        Parallel.For(0, writers, new ParallelOptions { MaxDegreeOfParallelism = writers }, w =>
        {
            for (var i = 0; i < perWriter; i++)
            {
                log.Info($"writer {w} line {i} end", shard: w);
                if (i == perWriter / 2)
                {
                    log.MinimumLevel = ProxyLogLevel.Trace;
                }
            }
        });

        var lines = output.ToString().ReplaceLineEndings("\n").Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(writers * perWriter, lines.Length);
        Assert.All(lines, line => Assert.Matches(@"^2026-11-28T01:02:03\.456Z INFO  \[shard (\d)\] writer \1 line \d+ end$", line));
    }

    private static (ProxyLog Log, StringWriter Output, StringWriter Errors) Create(ProxyLogLevel level)
    {
        var output = new StringWriter();
        var errors = new StringWriter();
        return (new ProxyLog(output, errors, level, Time), output, errors);
    }
}
