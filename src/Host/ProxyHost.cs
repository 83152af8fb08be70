using System.Net;
using GatewayProxy.Egress;
using GatewayProxy.Host.Configuration;
using GatewayProxy.Host.Logging;
using GatewayProxy.Host.Resharding;
using GatewayProxy.Host.Wiring;
using GatewayProxy.Ingress;
using Prometheus;

namespace GatewayProxy.Host;

/// <summary>One running proxy: every upstream shard of the configured range (Ingress) and the client listener (Egress).</summary>
/// <remarks>Used by <see cref="Program"/> and, in-process, by the end-to-end tests.</remarks>
public sealed class ProxyHost : IAsyncDisposable
{
    private readonly Resharder _resharder;
    private readonly ProxyServer _server;
    private readonly ProxyLog _log;
    private int _stopped;

    private ProxyHost(ProxyConfig config, Resharder resharder, ProxyServer server, CollectorRegistry metrics, ProxyLog log)
    {
        Config = config;
        _resharder = resharder;
        _server = server;
        Metrics = metrics;
        _log = log;
    }

    /// <summary>The configuration this proxy runs with.</summary>
    public ProxyConfig Config { get; }

    /// <summary>The upstream shards serving now (a reshard replaces them).</summary>
    public ShardManager Shards => _resharder.Current;

    /// <summary>Resharding (<c>/admin/reshard</c>, <c>auto_reshard</c>).</summary>
    internal Resharder Resharder => _resharder;

    /// <summary>The client listener.</summary>
    public ProxyServer Server => _server;

    /// <summary>Where clients connect (the actual port when <c>port</c> is 0).</summary>
    public IPEndPoint LocalEndPoint => _server.LocalEndPoint;

    /// <summary>How often <c>auto_reshard</c> reads Discord's recommended shard count.</summary>
    private static readonly TimeSpan AutoReshardInterval = TimeSpan.FromHours(1);

    /// <summary>The metrics registry served at <c>/metrics</c>.</summary>
    public CollectorRegistry Metrics { get; }

    /// <summary>Connects every shard of the range upstream and starts listening for clients.</summary>
    public static async Task<ProxyHost> StartAsync(ProxyConfig config, ProxyLog log, CollectorRegistry? metrics = null, Action<IngressOptions>? tuneIngress = null, Action<EgressOptions>? tuneEgress = null, CancellationToken ct = default)
    {
        log.AddSecret(config.Token);
        if (metrics is null)
        {
            metrics = Prometheus.Metrics.NewCustomRegistry();
            RuntimeMetrics.Register(metrics);
        }

        IngressOptions ingressOptions = OptionsMapping.ToIngress(config, metrics);
        tuneIngress?.Invoke(ingressOptions);
        ShardManager shards = await ShardManager.StartAsync(ingressOptions, new ProxyLogger(log), ct).ConfigureAwait(false);
        var resharder = new Resharder(shards, log, metrics);
        try
        {
            EgressOptions egressOptions = OptionsMapping.ToEgress(config, metrics);
            egressOptions.AdminHandler = resharder;
            tuneEgress?.Invoke(egressOptions);
            ProxyServer server = ProxyServer.Start(egressOptions, shards, new ProxyLogger(log));
            resharder.Attach(server);
            if (config.AutoReshard) resharder.StartAutoReshard(AutoReshardInterval);
            log.Info($"serving shards [{shards.ShardStart}, {shards.ShardEnd}) of {shards.TotalShards} at {(egressOptions.Tls ? "wss" : "ws")}://{server.LocalEndPoint}"
                + (server.AdminEndPoint is { } admin ? $"; admin at http://{admin}" : egressOptions.AdminToken is not null ? "; admin on the client port" : ""));
            return new ProxyHost(config, resharder, server, metrics, log);
        }
        catch
        {
            await resharder.DisposeAsync().ConfigureAwait(false);
            await shards.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Stops accepting clients, then closes every upstream shard with a resumable code.</summary>
    public async Task StopAsync(CancellationToken ct = default)
    {
        if (Interlocked.Exchange(ref _stopped, 1) != 0)
        {
            return;
        }

        // A reshard in progress ends first: an unswitched new set is abandoned, a switched one's old set is ended.
        await _resharder.DisposeAsync().ConfigureAwait(false);
        await _server.DisposeAsync().ConfigureAwait(false);
        await _resharder.Current.StopAsync(ct).ConfigureAwait(false);
        _log.Info("stopped");
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync() => await StopAsync().ConfigureAwait(false);
}
