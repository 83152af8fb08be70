using System.Text.Json;
using GatewayProxy.Egress;
using GatewayProxy.Egress.Http;
using GatewayProxy.Host.Logging;
using GatewayProxy.Ingress;
using GatewayProxy.Ingress.Rest;
using Prometheus;

namespace GatewayProxy.Host.Resharding;

/// <summary>Replaces the upstream shard set without downtime (docs/operations.md, "Virtual shards and resharding"): the new
/// set connects through the identify queue while the old one serves, then clients are switched (op 7), then the old set's
/// sessions are ended (close 1000). Clients keep their own shard count throughout: virtual shards make any count valid.</summary>
internal sealed class Resharder : IAdminHandler, IAsyncDisposable
{
    private readonly Lock _lock = new();
    private readonly ProxyLog _log;
    private readonly CancellationTokenSource _stop = new();
    private readonly ReshardMetrics _metrics;
    private Task? _autoLoop;
    private ShardManager _current;
    private ProxyServer? _server;
    private Task? _running;
    private ReshardProgress? _progress;
    private string _last = "none";

    public Resharder(ShardManager shards, ProxyLog log, CollectorRegistry metrics)
    {
        _current = shards;
        _log = log;
        _metrics = new ReshardMetrics(metrics);
    }

    /// <summary>The shard set serving now.</summary>
    public ShardManager Current => Volatile.Read(ref _current);

    /// <summary>Adjusts a new set's options (tests point it at another Simulator).</summary>
    public Action<IngressOptions>? TuneSuccessor { get; set; }

    /// <summary>How long clients of the old set get to reconnect after op 7 before they are closed (1012).</summary>
    public TimeSpan DrainTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Completes when the reshard in progress (if any) has ended.</summary>
    public Task Completion => Volatile.Read(ref _running) ?? Task.CompletedTask;

    public void Attach(ProxyServer server) => _server = server;

    /// <summary>Starts <c>auto_reshard</c>: every <paramref name="interval"/>, reshards when Discord's recommended count passes the current one.</summary>
    public void StartAutoReshard(TimeSpan interval)
    {
        if (_autoLoop is not null) throw new InvalidOperationException("auto_reshard is already running");
        _autoLoop = Task.Run(() => AutoReshardLoopAsync(interval));
    }

    /// <inheritdoc />
    public async Task<AdminReply> ReshardAsync(int shards, CancellationToken ct)
    {
        ShardManager current;
        lock (_lock)
        {
            if (_progress is { } running)
            {
                return Reply(409, $"a reshard from {running.From} to {running.To} shards is in progress ({running.Phase})", running);
            }

            current = _current;
            if (shards == current.TotalShards)
            {
                return Reply(422, $"the proxy already runs {shards} upstream shards", null);
            }

            // Taken before the budget check so that two requests cannot both start one.
            _progress = new ReshardProgress(current.TotalShards, shards, 0, "checking");
        }

        ShardManager successor;
        try
        {
            successor = await current.StartSuccessorAsync(shards, TuneSuccessor, ct).ConfigureAwait(false);
        }
        catch (Exception e) when (e is ReshardRefusedException or GatewayInfoException or ArgumentException or OperationCanceledException)
        {
            lock (_lock)
            {
                _progress = null;
            }

            _metrics.Ended("refused");
            _last = $"refused: {e.Message}";
            _log.Warn($"reshard to {shards} shards refused: {e.Message}");
            return Reply(e is GatewayInfoException ? 502 : 422, $"reshard to {shards} shards refused: {e.Message}", null);
        }

        var progress = new ReshardProgress(current.TotalShards, shards, 0, "connecting");
        _metrics.InProgress.Set(1);
        lock (_lock)
        {
            _progress = progress;
            _running = RunAsync(current, successor, _stop.Token);
        }

        Publish(progress);
        _log.Info($"resharding from {current.TotalShards} to {shards} upstream shards: connecting the new set while the old one serves");
        return Reply(202, $"resharding from {current.TotalShards} to {shards} upstream shards", progress);
    }

    /// <inheritdoc />
    public AdminReply ReshardStatus()
    {
        ReshardProgress? progress;
        lock (_lock)
        {
            progress = _progress;
        }

        return Reply(200, progress is null ? $"no reshard in progress; {Current.TotalShards} upstream shards; last: {_last}" : $"resharding from {progress.From} to {progress.To} shards ({progress.Phase})", progress);
    }

    private async Task RunAsync(ShardManager old, ShardManager successor, CancellationToken ct)
    {
        await Task.Yield();
        bool switched = false;
        int from = old.TotalShards;
        int to = successor.TotalShards;
        try
        {
            Task ready = successor.WaitAllReadyAsync(ct);
            while (!ready.IsCompleted)
            {
                Publish(new ReshardProgress(from, to, successor.ReadyCount, "connecting"));
                if (successor.Shards.FirstOrDefault(s => s.Status.StartsWith("stopped", StringComparison.Ordinal)) is { } failed)
                {
                    throw new InvalidOperationException($"new shard {failed.ShardId} {failed.Status}");
                }

                await Task.WhenAny(ready, Task.Delay(TimeSpan.FromMilliseconds(250), ct)).ConfigureAwait(false);
                ct.ThrowIfCancellationRequested();
            }

            await ready.ConfigureAwait(false);
            ProxyServer server = _server ?? throw new InvalidOperationException("no client listener attached");
            Publish(new ReshardProgress(from, to, to, "switching"));
            Volatile.Write(ref _current, successor);
            int told = server.SwitchShards(successor);
            switched = true;
            _log.Info($"reshard: {to} new shards ready; {told} clients sent op 7 and now served from the new set");

            long deadline = Environment.TickCount64 + (long)DrainTimeout.TotalMilliseconds;
            while (server.ClientsOnReplacedShards() > 0 && Environment.TickCount64 < deadline)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(100), ct).ConfigureAwait(false);
            }

            int closed = server.CloseClientsOnReplacedShards();
            if (closed > 0) _log.Warn($"reshard: {closed} clients did not reconnect after op 7 within {DrainTimeout.TotalSeconds:0} s and were closed (1012)");
            Publish(new ReshardProgress(from, to, to, "closing"));
            await old.EndSessionsAsync(CancellationToken.None).ConfigureAwait(false);
            _metrics.Ended("completed");
            _last = $"completed: {from} to {to} shards";
            _log.Info($"reshard from {from} to {to} upstream shards completed; the old sessions are ended");
        }
        catch (Exception e)
        {
            if (switched)
            {
                // Stopping after the switch: the old set still goes, with its sessions ended.
                _server?.CloseClientsOnReplacedShards();
                await old.EndSessionsAsync(CancellationToken.None).ConfigureAwait(false);
                _metrics.Ended("completed");
                _last = $"completed: {from} to {to} shards";
            }
            else
            {
                await old.AbandonSuccessorAsync(successor, CancellationToken.None).ConfigureAwait(false);
                _metrics.Ended("failed");
                _last = e is OperationCanceledException ? "failed: the proxy stopped" : $"failed: {e.Message}";
                if (e is not OperationCanceledException) _log.Error($"reshard from {from} to {to} shards failed, the old set keeps serving: {e.Message}", exception: e);
            }
        }
        finally
        {
            lock (_lock)
            {
                _progress = null;
            }

            Publish(null);
            _metrics.InProgress.Set(0);
        }
    }

    private async Task AutoReshardLoopAsync(TimeSpan interval)
    {
        CancellationToken ct = _stop.Token;
        while (!ct.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(interval, ct).ConfigureAwait(false);
                GatewayBotInfo gateway = await Current.FetchGatewayAsync(TuneSuccessor, ct).ConfigureAwait(false);
                if (gateway.Shards > Current.TotalShards && Volatile.Read(ref _running) is not { IsCompleted: false })
                {
                    _log.Info($"auto_reshard: Discord recommends {gateway.Shards} shards, the proxy runs {Current.TotalShards}");
                    await ReshardAsync(gateway.Shards, ct).ConfigureAwait(false);
                }
            }
            catch (OperationCanceledException)
            {
                return;
            }
            catch (GatewayInfoException e)
            {
                _log.Warn($"auto_reshard: /gateway/bot failed: {e.Message}");
            }
        }
    }

    private void Publish(ReshardProgress? progress)
    {
        lock (_lock)
        {
            if (progress is not null && _progress is not null) _progress = progress;
        }

        if (_server is { } server) server.Reshard = progress;
    }

    private static AdminReply Reply(int status, string message, ReshardProgress? progress)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream))
        {
            writer.WriteStartObject();
            writer.WriteString("message"u8, message);
            writer.WriteBoolean("in_progress"u8, progress is not null);
            if (progress is not null)
            {
                writer.WriteNumber("from"u8, progress.From);
                writer.WriteNumber("to"u8, progress.To);
                writer.WriteNumber("ready"u8, progress.Ready);
                writer.WriteString("phase"u8, progress.Phase);
            }

            writer.WriteEndObject();
        }

        return new AdminReply(status, stream.ToArray());
    }

    /// <summary>Stops the auto-reshard loop and any reshard in progress (an unswitched new set is abandoned).</summary>
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        try
        {
            await Completion.ConfigureAwait(false);
            if (_autoLoop is not null) await _autoLoop.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Stopped.
        }

        _stop.Dispose();
    }
}
