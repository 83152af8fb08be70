using System.Buffers;
using System.IO.Pipelines;
using GatewayProxy.Ingress.Connection;
using GatewayProxy.Ingress.Shards;
using GatewayProxy.Protocol.Compression;
using GatewayProxy.Protocol.Gateway;
using Microsoft.Extensions.Logging;

namespace GatewayProxy.Ingress;

/// <summary>The connection lifecycle: connect, run one connection, decide between RESUME, re-IDENTIFY and stopping.</summary>
public sealed partial class Shard
{
    private async Task RunAsync(CancellationToken ct)
    {
        int failures = 0;
        try
        {
            while (!ct.IsCancellationRequested && !_stopping)
            {
                if (failures > 0)
                {
                    SetState(ShardState.Disconnected);
                    await Task.Delay(ReconnectDelay(failures), ct).ConfigureAwait(false);
                }

                bool resume = _sessionId is not null;
                Uri url = GatewayUrl.Build(resume && _resumeUrl is not null ? _resumeUrl : _settings.GatewayUrl, _settings.Compression);
                SetState(ShardState.Connecting);
                UpstreamConnection? connection = await TryConnectAsync(url, ct).ConfigureAwait(false);
                if (connection is null)
                {
                    failures++;
                    _metrics.OnReconnect("connect_failed");
                    continue;
                }

                (ConnectionEnd end, bool established) = await RunConnectionAsync(connection, resume, ct).ConfigureAwait(false);
                if (_stopping || ct.IsCancellationRequested)
                {
                    break;
                }

                _metrics.OnReconnect(end.MetricReason);
                failures = established ? 0 : failures + 1;
                if (end.Reason == UpstreamEndReason.ServerClosed && GatewayCloseCodes.IsFatal(end.CloseCode))
                {
                    string why = FatalAdvice(end.CloseCode);
                    IngressLog.FatalClose(_logger, Id, end.CloseCode, end.Detail, why);
                    Stop($"{end.CloseCode} {why}");
                    return;
                }

                await DecideNextSessionAsync(end, ct).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // Shutdown.
        }
        catch (Exception e)
        {
            // A bug, not an upstream fault: the shard cannot continue, and /health must say so.
            IngressLog.ShardFailed(_logger, e, Id);
            Stop("internal error: " + e.Message);
            return;
        }

        if (_state != ShardState.Stopped)
        {
            Stop("shut down");
        }
    }

    /// <summary>Keeps the session for a RESUME, or drops it (and the cache's readiness) for a fresh IDENTIFY.</summary>
    private async Task DecideNextSessionAsync(ConnectionEnd end, CancellationToken ct)
    {
        bool newSession = end.Reason switch
        {
            UpstreamEndReason.InvalidSession => true,
            UpstreamEndReason.ServerClosed => !GatewayCloseCodes.KeepsSessionResumable(end.CloseCode),
            _ => false,
        };
        if (!newSession)
        {
            IngressLog.Disconnected(_logger, Id, end.ToString(), _sessionId is null ? "identifying again" : "resuming");
            return;
        }

        IngressLog.SessionLost(_logger, Id, end.ToString());
        ClearSession();
        if (end.Reason == UpstreamEndReason.InvalidSession)
        {
            (TimeSpan min, TimeSpan max) = _settings.ReidentifyDelay;
            TimeSpan wait = min + ((max - min) * Random.Shared.NextDouble());
            SetState(ShardState.Disconnected);
            await Task.Delay(wait, ct).ConfigureAwait(false);
        }
    }

    private void ClearSession()
    {
        Volatile.Write(ref _sessionId, null);
        Volatile.Write(ref _resumeUrl, null);
        _receiver.LastSequence = 0;
        _ready.Invalidate();
    }

    private async Task<UpstreamConnection?> TryConnectAsync(Uri url, CancellationToken ct)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(_settings.ConnectTimeout);
        UpstreamConnection? connection = null;
        try
        {
            connection = await _settings.Transport.ConnectAsync(url, timeout.Token).ConfigureAwait(false);
            await UpstreamHandshake.PerformAsync(connection.Pipe, url, timeout.Token).ConfigureAwait(false);
            return connection;
        }
        catch (Exception e) when (!ct.IsCancellationRequested)
        {
            IngressLog.ConnectFailed(_logger, Id, url, e is OperationCanceledException ? "timed out" : e.Message);
            if (connection is not null)
            {
                await connection.DisposeAsync().ConfigureAwait(false);
            }

            return null;
        }
        catch
        {
            if (connection is not null)
            {
                await connection.DisposeAsync().ConfigureAwait(false);
            }

            throw;
        }
    }

    /// <summary>Runs one connection to its end; returns why it ended and whether a session was established on it.</summary>
    private async Task<(ConnectionEnd End, bool Established)> RunConnectionAsync(UpstreamConnection connection, bool resume, CancellationToken ct)
    {
        using var ctx = new ConnectionContext(connection, resume, ct);
        _limiter.Reset();
        Volatile.Write(ref _current, ctx);
        if (_stopping)
        {
            ctx.End(new ConnectionEnd(UpstreamEndReason.Stopping), ResumableCloseCode);
        }

        Task writerTask = ctx.Writer.RunAsync(ctx.Token);
        Task heartbeatTask = HeartbeatLoopAsync(ctx);
        ConnectionEnd end;
        try
        {
            end = await ReceiveLoopAsync(ctx).ConfigureAwait(false);
            if (end.Reason != UpstreamEndReason.Zombie && end.Reason != UpstreamEndReason.Dropped)
            {
                // Let the close frame go out and Discord close its side (bounded), so the close code is what Discord sees.
                await DrainAsync(ctx, writerTask).ConfigureAwait(false);
            }
        }
        finally
        {
            _lastLatencyMs = ctx.Heartbeat?.Latency?.TotalMilliseconds ?? _lastLatencyMs;
            Volatile.Write(ref _current, null);
            ctx.Writer.Abandon();
            ctx.Cancel();
            connection.Abort();
            await IgnoreFailuresAsync(writerTask).ConfigureAwait(false);
            await IgnoreFailuresAsync(heartbeatTask).ConfigureAwait(false);
            await connection.DisposeAsync().ConfigureAwait(false);
        }

        return (end, ctx.SessionEstablished);
    }

    private async Task DrainAsync(ConnectionContext ctx, Task writerTask)
    {
        using var timeout = new CancellationTokenSource(_settings.CloseTimeout);
        try
        {
            await writerTask.WaitAsync(timeout.Token).ConfigureAwait(false);
            PipeReader input = ctx.Connection.Pipe.Input;
            while (true)
            {
                ReadResult result = await input.ReadAsync(timeout.Token).ConfigureAwait(false);
                input.AdvanceTo(result.Buffer.End);
                if (result.IsCompleted || result.IsCanceled)
                {
                    return;
                }
            }
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or InvalidOperationException or ObjectDisposedException
            or System.Net.Sockets.SocketException or Pipelines.Sockets.Unofficial.ConnectionAbortedException or Pipelines.Sockets.Unofficial.ConnectionResetException)
        {
            // Closed or timed out: either way the connection is done.
        }
    }

    private TimeSpan ReconnectDelay(int failures)
    {
        if (failures <= 1)
        {
            return TimeSpan.FromMilliseconds(Random.Shared.Next(0, 250));
        }

        double seconds = Math.Min(_settings.MaxReconnectDelay.TotalSeconds, 0.5 * Math.Pow(2, Math.Min(failures - 2, 16)));
        return TimeSpan.FromSeconds(seconds * (0.5 + (Random.Shared.NextDouble() / 2)));
    }

    private static string FatalAdvice(int code) => (GatewayCloseCode)code switch
    {
        GatewayCloseCode.AuthenticationFailed => "The bot token is wrong: fix \"token\" (or the TOKEN environment variable).",
        GatewayCloseCode.InvalidShard => "The shard id is invalid: check \"shards\", \"shard_start\" and \"shard_end\".",
        GatewayCloseCode.ShardingRequired => "Discord requires more shards for this bot: raise \"shards\" (or remove it to use Discord's recommendation).",
        GatewayCloseCode.InvalidApiVersion => "The gateway API version is not accepted: upgrade the proxy.",
        GatewayCloseCode.InvalidIntents => "The intents are invalid: fix \"intents\".",
        GatewayCloseCode.DisallowedIntents => "The intents include privileged intents not enabled for this application: enable them in the Developer Portal or remove them from \"intents\".",
        _ => "See Discord's close code documentation.",
    };

    private static async Task IgnoreFailuresAsync(Task task)
    {
        try
        {
            await task.ConfigureAwait(false);
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or InvalidOperationException or ObjectDisposedException or TimeoutException
            or System.Net.Sockets.SocketException or Pipelines.Sockets.Unofficial.ConnectionAbortedException or Pipelines.Sockets.Unofficial.ConnectionResetException)
        {
            // The connection is being torn down.
        }
    }
}
