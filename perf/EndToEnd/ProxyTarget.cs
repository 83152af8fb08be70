using System.Globalization;
using System.Net;
using GatewayProxy.Protocol.Compression;
using GatewayProxy.Tooling;

namespace GatewayProxy.Perf.EndToEnd;

/// <summary>The real GatewayProxy executable as a child process, configured against the in-process Simulator.</summary>
internal sealed class ProxyTarget : IRelayTarget
{
    private static readonly TimeSpan StartLimit = TimeSpan.FromSeconds(120);
    private readonly ChildProcess _child;
    private readonly string _directory;
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(30) };

    private ProxyTarget(ChildProcess child, string directory, int port)
    {
        _child = child;
        _directory = directory;
        ClientUrl = new Uri(string.Create(CultureInfo.InvariantCulture, $"ws://127.0.0.1:{port}"));
    }

    /// <inheritdoc />
    public string Name => "proxy";

    /// <inheritdoc />
    public Uri ClientUrl { get; }

    /// <summary>The child process (CPU, memory, descriptors, output).</summary>
    public ChildProcess Child => _child;

    /// <summary>Writes a config whose upstream is <paramref name="apiBaseUrl"/>, starts the proxy and waits until /health says every shard is ready.</summary>
    /// <param name="extraConfig">More top-level config keys, each followed by a comma (e.g. <c>"max_connections_per_ip": 4096,</c>).</param>
    /// <param name="identifyQueue">The identify queue to use (upstream.identify_queue_url), or null for the proxy's own.</param>
    /// <param name="environment">Variables added to the child's environment.</param>
    public static async Task<ProxyTarget> StartAsync(Uri apiBaseUrl, string token, long intents, TransportCompression upstream, bool cache, TimeSpan? readyLimit = null,
        int ringSize = RunSettings.RingSize, string extraConfig = "", Uri? identifyQueue = null, IReadOnlyDictionary<string, string>? environment = null)
    {
        var directory = Directory.CreateTempSubdirectory("gp-e2e-").FullName;
        var queue = identifyQueue is null ? "" : $", \"identify_queue_url\": \"{identifyQueue}\"";
        var config = $$"""
            {
              "token": "{{token}}",
              "intents": {{intents}},
              "bind": "127.0.0.1",
              "port": 7878,
              "log_level": "info",
              "backpressure": {{ringSize}},
              "ring_size": {{ringSize}},
              "state_file": null,
              {{extraConfig}}
              {{(cache ? "" : NoCache)}}
              "upstream": { "api_base_url": "{{apiBaseUrl.ToString().TrimEnd('/')}}", "compression": "{{TransportCompressions.ToName(upstream)}}"{{queue}} }
            }
            """;
        await File.WriteAllTextAsync(Path.Combine(directory, "config.json"), config).ConfigureAwait(false);
        var dll = Path.Combine(AppContext.BaseDirectory, "GatewayProxy.dll");
        var child = ChildProcess.Start(dll, ["--config", "config.json", "--port", "0"], directory, environment, redirectInput: true, maxOutputChars: 16_000);
        try
        {
            var line = await child.WaitForLineAsync(" at ws://", StartLimit).ConfigureAwait(false);
            var port = int.Parse(line[(line.LastIndexOf(':') + 1)..].Trim(), CultureInfo.InvariantCulture);
            var target = new ProxyTarget(child, directory, port);
            await target.WaitHealthyAsync(readyLimit ?? StartLimit).ConfigureAwait(false);
            return target;
        }
        catch
        {
            await child.DisposeAsync().ConfigureAwait(false);
            Directory.Delete(directory, recursive: true);
            throw;
        }
    }

    /// <inheritdoc />
    public async Task<TargetStats> ReadStatsAsync()
    {
        var text = await _http.GetStringAsync(MetricsUrl).ConfigureAwait(false);
        return new TargetStats(_child.CpuSeconds(), (long)Metric(text, "gateway_process_allocated_bytes "),
            (long)Metric(text, "gateway_gc_collections{generation=\"0\"} "), (long)Metric(text, "gateway_gc_collections{generation=\"1\"} "),
            (long)Metric(text, "gateway_gc_collections{generation=\"2\"} "), _child.PeakWorkingSet());
    }

    /// <summary>The proxy's /metrics text now.</summary>
    public Task<string> MetricsTextAsync() => _http.GetStringAsync(MetricsUrl);

    /// <summary>Sum over label sets of the metric lines starting with <paramref name="prefix"/> (e.g. <c>gateway_cache_guilds{</c>).</summary>
    public async Task<double> SumMetricAsync(string prefix)
    {
        var text = await _http.GetStringAsync(MetricsUrl).ConfigureAwait(false);
        double sum = 0;
        foreach (var line in text.AsSpan().EnumerateLines())
        {
            if (line.StartsWith(prefix, StringComparison.Ordinal))
            {
                sum += double.Parse(line[(line.LastIndexOf(' ') + 1)..], CultureInfo.InvariantCulture);
            }
        }

        return sum;
    }

    /// <summary>Sends a perf control command (the proxy runs with GATEWAYPROXY_PERF_CONTROL=1) and returns its answer line.</summary>
    public async Task<string> ControlAsync(string command, TimeSpan limit)
    {
        var answer = _child.WaitForLineAsync("perf " + command + " ", limit);
        await _child.WriteLineAsync(command).ConfigureAwait(false);
        return await answer.ConfigureAwait(false);
    }

    /// <summary>The proxy's resident memory now (VmRSS).</summary>
    public long ResidentBytes() => _child.ResidentBytes();

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _child.DisposeAsync().ConfigureAwait(false);
        _http.Dispose();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // Left in /tmp; harmless.
        }
    }

    /// <summary>Every cache flag off: the proxy relays and keeps only what READY needs.</summary>
    private const string NoCache = """
        "cache": { "channels": false, "presences": false, "emojis": false, "current_member": false, "members": false, "roles": false,
          "scheduled_events": false, "soundboard_sounds": false, "stage_instances": false, "stickers": false, "users": false, "voice_states": false },
        """;

    private Uri MetricsUrl => new(string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{ClientUrl.Port}/metrics"));

    private static double Metric(string text, string prefix)
    {
        foreach (var line in text.AsSpan().EnumerateLines())
        {
            if (line.StartsWith(prefix, StringComparison.Ordinal))
            {
                return double.Parse(line[prefix.Length..].Trim(), CultureInfo.InvariantCulture);
            }
        }

        throw new InvalidOperationException($"/metrics has no \"{prefix.Trim()}\"");
    }

    private async Task WaitHealthyAsync(TimeSpan limit)
    {
        var health = new Uri(string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{ClientUrl.Port}/health"));
        var deadline = DateTime.UtcNow + limit;
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                using var response = await _http.GetAsync(health).ConfigureAwait(false);
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (TaskCanceledException)
            {
                // One slow answer (a loaded box, a proxy busy with a large GUILD_CREATE burst) is not a failure: ask again.
            }

            // Polling a child process's endpoint: there is nothing to await instead.
            await Task.Delay(100).ConfigureAwait(false);
        }

        throw new TimeoutException($"the proxy's shards were not all ready within {limit}; output:\n{_child.Output}");
    }
}
