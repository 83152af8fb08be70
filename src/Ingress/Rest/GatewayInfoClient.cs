using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Microsoft.Extensions.Logging;

namespace GatewayProxy.Ingress.Rest;

/// <summary>Fetches <c>GET {api_base_url}/gateway/bot</c> with the bot token, retrying network failures with backoff.</summary>
/// <remarks>A 401 is final ("Discord rejected the token"); network errors, timeouts, 429 and 5xx are retried
/// <see cref="MaxAttempts"/> times with doubling delays (Retry-After honoured), then reported with the last cause.</remarks>
public sealed class GatewayInfoClient
{
    /// <summary>Discord's REST API base used when none is configured.</summary>
    public static readonly Uri DefaultApiBaseUrl = new("https://discord.com/api/v10");

    private static readonly TimeSpan MaxDelay = TimeSpan.FromSeconds(30);

    private readonly HttpClient _http;
    private readonly Uri _apiBaseUrl;
    private readonly string _token;
    private readonly ILogger _logger;

    /// <summary>Creates a client over <paramref name="http"/> (not disposed by this class).</summary>
    public GatewayInfoClient(HttpClient http, Uri apiBaseUrl, string token, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(apiBaseUrl);
        ArgumentException.ThrowIfNullOrWhiteSpace(token);
        _http = http;
        _apiBaseUrl = apiBaseUrl;
        _token = token;
        _logger = logger;
    }

    /// <summary>Attempts before giving up on transient failures.</summary>
    public int MaxAttempts { get; init; } = 5;

    /// <summary>Delay after the first failure; doubled after each further one (capped at 30 s).</summary>
    public TimeSpan RetryBaseDelay { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Turns twilight's <c>twilight_http_proxy</c> setting (<c>ip:port</c>) into an API base URL (<c>http://ip:port/api/v10</c>).</summary>
    public static Uri ApiBaseFromHttpProxy(string hostAndPort)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(hostAndPort);
        string trimmed = hostAndPort.Trim().TrimEnd('/');
        string withScheme = trimmed.Contains("://", StringComparison.Ordinal) ? trimmed : "http://" + trimmed;
        return new Uri(withScheme + "/api/v10");
    }

    /// <summary>The <c>/gateway/bot</c> URL under <paramref name="apiBaseUrl"/>.</summary>
    public static Uri GatewayBotUrl(Uri apiBaseUrl) => new(apiBaseUrl.AbsoluteUri.TrimEnd('/') + "/gateway/bot");

    /// <summary>The Authorization header value: <c>Bot TOKEN</c> (a token that already has the prefix is kept as is).</summary>
    public static string AuthorizationValue(string token) =>
        token.StartsWith("Bot ", StringComparison.OrdinalIgnoreCase) ? token : "Bot " + token;

    /// <summary>Fetches and parses the gateway information; throws <see cref="GatewayInfoException"/> with a clear message on failure.</summary>
    public async Task<GatewayBotInfo> GetGatewayBotAsync(CancellationToken ct)
    {
        Uri url = GatewayBotUrl(_apiBaseUrl);
        TimeSpan delay = RetryBaseDelay;
        string lastError = "no attempt made";
        for (int attempt = 1; attempt <= Math.Max(1, MaxAttempts); attempt++)
        {
            TimeSpan? retryAfter = null;
            try
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, url);
                request.Headers.TryAddWithoutValidation("Authorization", AuthorizationValue(_token));
                request.Headers.UserAgent.Add(new ProductInfoHeaderValue("GatewayProxy", "1.0"));
                using HttpResponseMessage response = await _http.SendAsync(request, HttpCompletionOption.ResponseContentRead, ct).ConfigureAwait(false);
                byte[] body = await response.Content.ReadAsByteArrayAsync(ct).ConfigureAwait(false);
                if (response.StatusCode == HttpStatusCode.Unauthorized)
                {
                    throw new GatewayInfoException($"Discord rejected the token (401 Unauthorized from {url}): check the bot token in the configuration or the TOKEN environment variable.") { IsPermanent = true };
                }

                if (response.IsSuccessStatusCode)
                {
                    if (TryParse(body, out GatewayBotInfo? info, out string? reason))
                    {
                        return info;
                    }

                    throw new GatewayInfoException($"Unexpected answer from {url}: {reason}.") { IsPermanent = true };
                }

                int status = (int)response.StatusCode;
                if (status != 429 && status < 500)
                {
                    throw new GatewayInfoException($"{url} answered {status} {response.ReasonPhrase}: {Truncate(body)}") { IsPermanent = true };
                }

                retryAfter = response.Headers.RetryAfter?.Delta;
                lastError = $"{url} answered {status} {response.ReasonPhrase}";
            }
            catch (HttpRequestException e)
            {
                lastError = $"cannot reach {url}: {e.Message}";
            }
            catch (OperationCanceledException e) when (!ct.IsCancellationRequested)
            {
                lastError = $"request to {url} timed out: {e.Message}";
            }

            if (attempt >= MaxAttempts)
            {
                break;
            }

            TimeSpan wait = retryAfter is TimeSpan ra && ra > delay ? ra : delay;
            IngressLog.GatewayInfoRetry(_logger, attempt, MaxAttempts, lastError, wait);
            await Task.Delay(wait, ct).ConfigureAwait(false);
            delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, MaxDelay.Ticks));
        }

        throw new GatewayInfoException($"Could not fetch gateway information after {MaxAttempts} attempts: {lastError}. Check the network and api_base_url/twilight_http_proxy.");
    }

    /// <summary>Parses a <c>/gateway/bot</c> body; false with a reason when a field is missing or has the wrong type.</summary>
    public static bool TryParse(ReadOnlySpan<byte> json, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out GatewayBotInfo? info, [System.Diagnostics.CodeAnalysis.NotNullWhen(false)] out string? reason)
    {
        info = null;
        try
        {
            var reader = new Utf8JsonReader(json);
            using JsonDocument doc = JsonDocument.ParseValue(ref reader);
            JsonElement root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                reason = "the body is not a JSON object";
                return false;
            }

            if (!root.TryGetProperty("url", out JsonElement urlElement) || urlElement.ValueKind != JsonValueKind.String
                || !Uri.TryCreate(urlElement.GetString(), UriKind.Absolute, out Uri? url) || (url.Scheme != "ws" && url.Scheme != "wss"))
            {
                reason = "\"url\" is missing or is not a ws:// or wss:// URL";
                return false;
            }

            if (!root.TryGetProperty("shards", out JsonElement shardsElement) || !shardsElement.TryGetInt32(out int shards) || shards < 1)
            {
                reason = "\"shards\" is missing or is not a positive integer";
                return false;
            }

            int total = 1000, remaining = 1000, maxConcurrency = 1;
            long resetAfterMs = 0;
            if (root.TryGetProperty("session_start_limit", out JsonElement limit) && limit.ValueKind == JsonValueKind.Object)
            {
                total = ReadInt(limit, "total", total);
                remaining = ReadInt(limit, "remaining", remaining);
                maxConcurrency = Math.Max(1, ReadInt(limit, "max_concurrency", maxConcurrency));
                if (limit.TryGetProperty("reset_after", out JsonElement reset) && reset.TryGetInt64(out long ms) && ms >= 0)
                {
                    resetAfterMs = ms;
                }
            }

            info = new GatewayBotInfo(url, shards, new SessionStartLimit(total, Math.Max(0, remaining), TimeSpan.FromMilliseconds(resetAfterMs), maxConcurrency));
            reason = null;
            return true;
        }
        catch (JsonException e)
        {
            reason = "invalid JSON: " + e.Message;
            return false;
        }
    }

    private static int ReadInt(JsonElement obj, string name, int fallback) =>
        obj.TryGetProperty(name, out JsonElement e) && e.TryGetInt32(out int v) ? v : fallback;

    private static string Truncate(byte[] body)
    {
        string text = System.Text.Encoding.UTF8.GetString(body, 0, Math.Min(body.Length, 200));
        return text.Length == 0 ? "(empty body)" : text;
    }
}
