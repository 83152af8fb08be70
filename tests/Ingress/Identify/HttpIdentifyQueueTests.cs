using System.Net;
using System.Net.Sockets;
using GatewayProxy.Ingress.Identify;
using GatewayProxy.Tests.Ingress.Support;
using GatewayProxy.Tests.Support;
using Xunit;

namespace GatewayProxy.Tests.Ingress.Identify;

/// <summary>The external identify queue client (twilight gateway-queue protocol) against real loopback HTTP servers.</summary>
public sealed class HttpIdentifyQueueTests
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(60);

    [Theory]
    [InlineData("http://queue:8000", 3, "http://queue:8000/?shard=3")]
    [InlineData("http://queue:8000/", 0, "http://queue:8000/?shard=0")]
    [InlineData("https://queue.internal/gw/queue?bot=main", 17, "https://queue.internal/gw/queue?bot=main&shard=17")]
    public void Request_url_adds_the_shard_to_the_query(string configured, int shard, string expected) =>
        Assert.Equal(expected, HttpIdentifyQueue.RequestUrl(new Uri(configured), shard).AbsoluteUri);

    [Fact]
    public async Task A_2xx_answer_is_the_turn_and_the_request_names_the_shard()
    {
        await using var server = new ScriptedHttpServer(200);
        var logger = new RecordingLogger();
        using var queue = new HttpIdentifyQueue(server.Url, logger);

        using IdentifyTurn turn = await queue.WaitTurnAsync(5, CancellationToken.None).AsTask().WaitAsync(Limit);

        Assert.Equal(["/?shard=5"], server.Targets);
        Assert.Empty(logger.Lines);
    }

    [Fact]
    public async Task Server_errors_are_retried_with_a_log_line_each_until_the_queue_answers()
    {
        await using var server = new ScriptedHttpServer(503, 500, 200);
        var logger = new RecordingLogger();
        using var queue = new HttpIdentifyQueue(server.Url, logger) { RetryBaseDelay = TimeSpan.FromMilliseconds(10), RetryMaxDelay = TimeSpan.FromMilliseconds(20) };

        using IdentifyTurn turn = await queue.WaitTurnAsync(2, CancellationToken.None).AsTask().WaitAsync(Limit);

        Assert.Equal(["/?shard=2", "/?shard=2", "/?shard=2"], server.Targets);
        string[] warnings = logger.Lines.Where(l => l.Contains("is unreachable", StringComparison.Ordinal)).ToArray();
        Assert.Equal(2, warnings.Length);
        Assert.Contains("answered 503", warnings[0], StringComparison.Ordinal);
        Assert.Contains("answered 500", warnings[1], StringComparison.Ordinal);
        Assert.Contains(logger.Lines, l => l.Contains("answered after 3 attempts", StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_unreachable_queue_is_logged_with_its_url_and_the_wait_ends_on_cancellation()
    {
        var url = new Uri($"http://127.0.0.1:{ClosedPort()}/queue");
        var logger = new RecordingLogger();
        using var queue = new HttpIdentifyQueue(url, logger) { RetryBaseDelay = TimeSpan.FromMilliseconds(10), RetryMaxDelay = TimeSpan.FromMilliseconds(50) };
        using var shutdown = new CancellationTokenSource();

        Task<IdentifyTurn> wait = queue.WaitTurnAsync(1, shutdown.Token).AsTask();
        string first = await logger.WaitForLineAsync("is unreachable (attempt 1)", Limit);
        await logger.WaitForLineAsync("is unreachable (attempt 2)", Limit);
        Assert.Contains(url.AbsoluteUri, first, StringComparison.Ordinal);
        Assert.Contains("Shard 1", first, StringComparison.Ordinal);
        Assert.False(wait.IsCompleted, "an unreachable queue never grants a turn");

        await shutdown.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => wait.WaitAsync(Limit));
    }

    [Fact]
    public async Task A_request_the_queue_holds_is_abandoned_on_shutdown()
    {
        await using var server = new ScriptedHttpServer(0);
        var logger = new RecordingLogger();
        using var queue = new HttpIdentifyQueue(server.Url, logger);
        using var shutdown = new CancellationTokenSource();

        Task<IdentifyTurn> wait = queue.WaitTurnAsync(7, shutdown.Token).AsTask();
        await IngressTestKit.WaitUntilAsync(() => server.Targets.Count == 1, () => "the queue never received the request");
        Assert.False(wait.IsCompleted, "the queue holds the request");

        await shutdown.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => wait.WaitAsync(Limit));
        Assert.Empty(logger.Lines);
    }

    [Fact]
    public async Task A_request_unanswered_past_the_timeout_is_retried()
    {
        await using var server = new ScriptedHttpServer(0, 200);
        var logger = new RecordingLogger();
        using var queue = new HttpIdentifyQueue(server.Url, logger) { RequestTimeout = TimeSpan.FromMilliseconds(500), RetryBaseDelay = TimeSpan.FromMilliseconds(10) };

        using IdentifyTurn turn = await queue.WaitTurnAsync(4, CancellationToken.None).AsTask().WaitAsync(Limit);

        // The first request is held forever, so it timed out; on a slow box an answered one may time out too (hence >= 2).
        Assert.True(server.Targets.Count >= 2, $"{server.Targets.Count} requests");
        Assert.Contains(logger.Lines, l => l.Contains("(attempt 1): no answer within", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Logs_show_the_url_without_credentials_or_query()
    {
        var url = new Uri($"http://user:secret@127.0.0.1:{ClosedPort()}/queue?key=hidden");
        var logger = new RecordingLogger();
        using var queue = new HttpIdentifyQueue(url, logger) { RetryBaseDelay = TimeSpan.FromMilliseconds(10) };
        using var shutdown = new CancellationTokenSource();

        Task<IdentifyTurn> wait = queue.WaitTurnAsync(0, shutdown.Token).AsTask();
        string line = await logger.WaitForLineAsync("is unreachable", Limit);
        await shutdown.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => wait.WaitAsync(Limit));

        Assert.Contains($"http://127.0.0.1:{url.Port}/queue", line, StringComparison.Ordinal);
        Assert.DoesNotContain("secret", line, StringComparison.Ordinal);
        Assert.DoesNotContain("hidden", line, StringComparison.Ordinal);
    }

    [Fact]
    public void Only_http_and_https_urls_are_accepted()
    {
        var logger = new RecordingLogger();
        var e = Assert.Throws<ArgumentException>(() => new HttpIdentifyQueue(new Uri("ws://queue:8000"), logger));
        Assert.Contains("http://", e.Message, StringComparison.Ordinal);
    }

    /// <summary>A loopback port nothing listens on (bound, then released).</summary>
    private static int ClosedPort()
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)socket.LocalEndPoint!).Port;
    }
}
