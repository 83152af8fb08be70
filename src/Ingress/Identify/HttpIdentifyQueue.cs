using System.Globalization;
using System.Net.Http.Headers;
using Microsoft.Extensions.Logging;

namespace GatewayProxy.Ingress.Identify;

/// <summary>
/// An identify queue shared by several processes through twilight's gateway-queue HTTP protocol: <c>GET {url}?shard=N</c>
/// blocks until shard N may identify, and any 2xx answer means "go".
/// </summary>
/// <remarks>
/// The server owns the pacing (buckets of <c>shard % max_concurrency</c>, one per interval, and the daily budget), so a
/// turn needs no release here. A failed request (network error, timeout, non-2xx) is retried with a doubling delay until
/// the queue answers or the shard's connection ends: identifying without the shared queue could get every process's
/// sessions invalidated, so there is no fallback to the in-process queue.
/// </remarks>
public sealed class HttpIdentifyQueue : IIdentifyQueue, IDisposable
{
    private readonly HttpClient _http;
    private readonly Uri _url;
    private readonly string _displayUrl;
    private readonly ILogger _logger;

    /// <summary>Creates a queue client for <paramref name="url"/> (http or https).</summary>
    /// <param name="url">The gateway-queue server, e.g. <c>http://gateway-queue:8000/</c>; a query it has is kept.</param>
    /// <param name="logger">Where failures are reported.</param>
    /// <param name="connectTimeout">TCP (and TLS) connect timeout per attempt; null: 10 s.</param>
    public HttpIdentifyQueue(Uri url, ILogger logger, TimeSpan? connectTimeout = null)
    {
        ArgumentNullException.ThrowIfNull(url);
        ArgumentNullException.ThrowIfNull(logger);
        if (!url.IsAbsoluteUri || url.Scheme is not ("http" or "https"))
        {
            throw new ArgumentException($"The identify queue URL must be an absolute http:// or https:// URL, not '{url}'.", nameof(url));
        }

        _url = url;
        _displayUrl = url.GetComponents(UriComponents.SchemeAndServer | UriComponents.Path, UriFormat.UriEscaped);
        _logger = logger;
        var handler = new SocketsHttpHandler
        {
            ConnectTimeout = connectTimeout ?? TimeSpan.FromSeconds(10),
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
        };

        // Each waiting shard holds its own request open (HTTP/1.1: one connection each); the per-attempt timeout is ours.
        _http = new HttpClient(handler, disposeHandler: true) { Timeout = Timeout.InfiniteTimeSpan };
        _http.DefaultRequestHeaders.UserAgent.Add(new ProductInfoHeaderValue("GatewayProxy", "1.0"));
    }

    /// <summary>The queue's URL without user info or query, as logs show it.</summary>
    public string DisplayUrl => _displayUrl;

    /// <summary>Longest a single request may stay unanswered before it is retried (a busy queue legitimately holds requests for minutes).</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>Delay after the first failure; doubled after each further one up to <see cref="RetryMaxDelay"/>.</summary>
    public TimeSpan RetryBaseDelay { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Longest delay between two attempts.</summary>
    public TimeSpan RetryMaxDelay { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>The request URL for one shard: the configured URL with <c>shard=N</c> added to its query.</summary>
    public static Uri RequestUrl(Uri url, int shardId)
    {
        ArgumentNullException.ThrowIfNull(url);
        var builder = new UriBuilder(url);
        string shard = "shard=" + shardId.ToString(CultureInfo.InvariantCulture);
        string query = builder.Query.TrimStart('?');
        builder.Query = query.Length == 0 ? shard : query + "&" + shard;
        return builder.Uri;
    }

    /// <inheritdoc />
    public async ValueTask<IdentifyTurn> WaitTurnAsync(int shardId, CancellationToken ct)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(shardId);
        Uri url = RequestUrl(_url, shardId);
        TimeSpan delay = RetryBaseDelay;
        for (int attempt = 1; ; attempt++)
        {
            string? error = await TryOnceAsync(url, ct).ConfigureAwait(false);
            if (error is null)
            {
                if (attempt > 1)
                {
                    IngressLog.IdentifyQueueRecovered(_logger, shardId, _displayUrl, attempt);
                }

                return new IdentifyTurn(null);
            }

            if (attempt <= 3 || attempt % 10 == 0)
            {
                // Every shard of the process fails alike while the queue is down: the first attempts and then every
                // tenth (every ~5 min at the cap) keep the log readable with hundreds of shards.
                IngressLog.IdentifyQueueUnreachable(_logger, shardId, _displayUrl, attempt, error, delay);
            }

            await Task.Delay(delay, ct).ConfigureAwait(false);
            delay = delay * 2 > RetryMaxDelay ? RetryMaxDelay : delay * 2;
        }
    }

    /// <summary>Nothing to widen here: the shared server owns every bucket's spacing (the shard logs the refusal).</summary>
    public void OnIdentifyRefused(int shardId)
    {
    }

    /// <summary>Closes the pooled connections.</summary>
    public void Dispose() => _http.Dispose();

    /// <summary>One request; null when the queue said go, else why not (cancellation by <paramref name="ct"/> throws).</summary>
    private async Task<string?> TryOnceAsync(Uri url, CancellationToken ct)
    {
        using var attempt = CancellationTokenSource.CreateLinkedTokenSource(ct);
        attempt.CancelAfter(RequestTimeout);
        try
        {
            using HttpResponseMessage response = await _http.GetAsync(url, HttpCompletionOption.ResponseContentRead, attempt.Token).ConfigureAwait(false);
            if (response.IsSuccessStatusCode)
            {
                return null;
            }

            return string.Create(CultureInfo.InvariantCulture, $"answered {(int)response.StatusCode} {response.ReasonPhrase}");
        }
        catch (HttpRequestException e)
        {
            return e.Message;
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return $"no answer within {RequestTimeout}";
        }
    }
}
