using GatewayProxy.Protocol.Gateway;
using GatewayProxy.Simulator.Gateway;

namespace GatewayProxy.Simulator;

/// <summary>Fault injection on a shard's current connection (the newest session's connection).</summary>
public sealed partial class DiscordSimulator
{
    /// <summary>Sends op 7 RECONNECT; if the client has not closed after <see cref="SimulatorOptions.ReconnectCloseAfter"/>, closes it (resumable).</summary>
    public Task SendReconnectAsync(int shard)
    {
        var connection = CurrentConnection(shard);
        connection.EnqueueReconnect();
        Log($"connection {connection.Id} (shard {shard}): op 7 sent");
        _ = CloseLaterAsync(connection);
        return Task.CompletedTask;
    }

    /// <summary>Sends op 9 INVALID_SESSION; with <paramref name="resumable"/> false the session ends. Either way the connection may IDENTIFY or RESUME again.</summary>
    public Task SendInvalidSessionAsync(int shard, bool resumable)
    {
        var runtime = Shard(shard);
        GatewayConnection connection;
        lock (runtime.Gate)
        {
            connection = runtime.CurrentConnectionLocked() ?? throw NoConnection(shard);
            var session = connection.Session;
            connection.Session = null;
            if (session is not null)
            {
                session.Connection = null;
                session.DisconnectedAtTicks = Environment.TickCount64;
                if (!resumable)
                {
                    session.Valid = false;
                    runtime.Sessions.Remove(session);
                }
            }

            connection.EnqueueInvalidSession(resumable);
        }

        Log($"connection {connection.Id} (shard {shard}): op 9 {(resumable ? "true" : "false")} sent");
        return Task.CompletedTask;
    }

    /// <summary>Answers the next <paramref name="count"/> <c>GET /gateway/bot</c> requests with <paramref name="status"/>
    /// (a 5xx, as Discord does in an outage) and Discord's error body, before any auth check.</summary>
    public void FailGatewayBot(int count, int status = 502)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentOutOfRangeException.ThrowIfLessThan(status, 400);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(status, 599);
        Volatile.Write(ref _gatewayBotFailureStatus, status);
        Volatile.Write(ref _gatewayBotFailures, count);
    }

    /// <summary><c>GET /gateway/bot</c> requests received so far (failed ones included).</summary>
    public int GatewayBotRequests => Volatile.Read(ref _gatewayBotRequests);

    /// <summary>Counts a /gateway/bot request; true with the status to answer when a failure is due.</summary>
    internal bool TakeGatewayBotFailure(out int status)
    {
        Interlocked.Increment(ref _gatewayBotRequests);
        status = Volatile.Read(ref _gatewayBotFailureStatus);
        while (true)
        {
            int left = Volatile.Read(ref _gatewayBotFailures);
            if (left <= 0) return false;
            if (Interlocked.CompareExchange(ref _gatewayBotFailures, left - 1, left) == left) return true;
        }
    }

    private int _gatewayBotFailures;
    private int _gatewayBotFailureStatus = 502;
    private int _gatewayBotRequests;

    /// <summary>Drops the TCP connection without a close frame; with <paramref name="midFrame"/> after writing part of a frame
    /// (its first <paramref name="cutAt"/> bytes, 1 to 38 of a 39-byte frame, so the cut can fall in the header or the payload;
    /// by default half of it). The session stays resumable.</summary>
    public Task DropConnectionAsync(int shard, bool midFrame = true, int cutAt = -1) => CurrentConnection(shard).DropAsync(midFrame, cutAt);

    /// <summary>Closes the connection with any code and reason (the session survives unless the code ends sessions, e.g. 4007/4009/1000).</summary>
    public Task CloseConnectionAsync(int shard, ushort code, string reason) => CurrentConnection(shard).CloseAsync(code, reason);

    /// <summary>Stalls (or un-stalls) the connection: heartbeats go unanswered and nothing is sent until un-stalled.</summary>
    public void SetStalled(int shard, bool stalled) => CurrentConnection(shard).SetStalled(stalled);

    /// <summary>Asks the client to heartbeat now (op 1 from the server).</summary>
    public Task RequestHeartbeatAsync(int shard)
    {
        CurrentConnection(shard).EnqueueHeartbeatRequest();
        return Task.CompletedTask;
    }

    /// <summary>Completes when the shard has a session with a live connection that has received READY or RESUMED.</summary>
    public async Task WaitForSessionAsync(int shard, CancellationToken ct = default)
    {
        var runtime = Shard(shard);
        while (true)
        {
            Task signal;
            lock (runtime.Gate)
            {
                if (runtime.CurrentConnectionLocked() is { IsClosing: false })
                {
                    return;
                }

                signal = runtime.ReadySignal;
            }

            await signal.WaitAsync(ct).ConfigureAwait(false);
        }
    }

    private async Task CloseLaterAsync(GatewayConnection connection)
    {
        try
        {
            await Task.Delay(Options.ReconnectCloseAfter, _stop.Token).ConfigureAwait(false);
            if (!connection.IsClosing)
            {
                await connection.CloseAsync((ushort)Protocol.Gateway.GatewayCloseCode.UnknownError, "Reconnect requested.").ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException)
        {
            // Simulator stopped.
        }
    }

    private GatewayConnection CurrentConnection(int shard)
    {
        var runtime = Shard(shard);
        lock (runtime.Gate)
        {
            return runtime.CurrentConnectionLocked() ?? throw NoConnection(shard);
        }
    }

    private static InvalidOperationException NoConnection(int shard) => new($"shard {shard} has no connected session");
}
