using System.Buffers;
using System.Runtime.CompilerServices;
using System.Text.Json;
using GatewayProxy.Ingress.Connection;
using GatewayProxy.Ingress.Identify;
using GatewayProxy.Ingress.Shards;
using GatewayProxy.Protocol.Gateway;
using GatewayProxy.Protocol.WebSockets;
using Microsoft.Extensions.Logging;

namespace GatewayProxy.Ingress;

/// <summary>The session protocol: HELLO → IDENTIFY/RESUME, heartbeats and zombie detection, READY/RESUMED, op 1/7/9/11, close frames.</summary>
public sealed partial class Shard
{
    /// <summary>A control frame (close, ping, pong); true when it ends the connection.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static bool HandleControlFrame(ConnectionContext ctx, WebSocketOpcode opcode, ReadOnlySpan<byte> payload)
    {
        switch (opcode)
        {
            case WebSocketOpcode.Close:
                if (payload.IsEmpty || !WebSocketMessageReader.TryParseClosePayload(payload, out ushort code, out string reason))
                {
                    code = 0;
                    reason = "no close code";
                }

                // Answer the close (RFC 6455 §5.5.1) with a code that keeps the session, whatever Discord decided.
                ctx.End(new ConnectionEnd(UpstreamEndReason.ServerClosed, code, reason), ResumableCloseCode);
                return true;
            case WebSocketOpcode.Ping:
                ctx.Writer.TrySendPong(payload);
                return false;
            default:
                return false;
        }
    }

    /// <summary>A non-dispatch gateway payload (cold path).</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private void HandleGatewayMessage(ConnectionContext ctx, ReadOnlySpan<byte> payload, in Envelope envelope)
    {
        ReadOnlySpan<byte> data = envelope.Data(payload);
        switch ((GatewayOpcode)envelope.Op)
        {
            case GatewayOpcode.Hello:
                OnHello(ctx, data);
                break;
            case GatewayOpcode.HeartbeatAck:
                if (ctx.Heartbeat?.OnAck() is TimeSpan rtt)
                {
                    _metrics.OnLatency(rtt);
                }

                break;
            case GatewayOpcode.Heartbeat:
                ctx.Heartbeat?.OnRequestedBeat();
                SendHeartbeat(ctx);
                break;
            case GatewayOpcode.Reconnect:
                IngressLog.ReconnectRequested(_logger, Id);
                ctx.End(new ConnectionEnd(UpstreamEndReason.ReconnectRequested), ResumableCloseCode);
                break;
            case GatewayOpcode.InvalidSession:
                bool resumable = data.SequenceEqual("true"u8);
                IngressLog.InvalidSession(_logger, Id, resumable);
                if (ctx.IdentifyQueued && !ctx.SessionEstablished)
                {
                    // The answer to our IDENTIFY: the gateway saw it too close to its bucket's previous one.
                    _settings.IdentifyQueue.OnIdentifyRefused(Id);
                }

                ctx.End(new ConnectionEnd(resumable ? UpstreamEndReason.InvalidSessionResumable : UpstreamEndReason.InvalidSession), ResumableCloseCode);
                break;
            default:
                break;
        }
    }

    private void OnHello(ConnectionContext ctx, ReadOnlySpan<byte> data)
    {
        int intervalMs = 41250;
        if (EnvelopeScanner.TryFindProperty(data, "heartbeat_interval"u8, out int start, out int length, out bool isString) && !isString
            && int.TryParse(data.Slice(start, length), System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out int parsed) && parsed > 0)
        {
            intervalMs = parsed;
        }

        var monitor = new HeartbeatMonitor(TimeSpan.FromMilliseconds(intervalMs));
        if (!ctx.OnHello(monitor))
        {
            return;
        }

        _limiter.Reserved = CommandRateLimiter.ReserveFor(monitor.Interval);
        if (ctx.Resuming && _sessionId is { } sessionId)
        {
            SetState(ShardState.Resuming);
            var buffer = new ArrayBufferWriter<byte>(256);
            GatewayPayloads.WriteResume(buffer, IdentifyPayload.StripBotPrefix(_settings.Token), sessionId, _receiver.LastSequence);
            _limiter.RecordControl();
            ctx.Writer.TrySendText(buffer.WrittenSpan);
            IngressLog.Resuming(_logger, Id, sessionId, _receiver.LastSequence);
        }
        else
        {
            SetState(ShardState.Identifying);
            _ = IdentifyAsync(ctx);
        }
    }

    private async Task IdentifyAsync(ConnectionContext ctx)
    {
        try
        {
            using IdentifyTurn turn = await _settings.IdentifyQueue.WaitTurnAsync(Id, ctx.Token).ConfigureAwait(false);
            if (ctx.IsEnded)
            {
                return;
            }

            var buffer = new ArrayBufferWriter<byte>(512);
            IdentifyPayload.Write(buffer, _settings.Token, _settings.Intents, Id, _settings.TotalShards, _settings.Presence);
            _limiter.RecordControl();
            ctx.IdentifyQueued = true;
            bool sent = await ctx.Writer.SendTextAsync(buffer.WrittenSpan.ToArray()).ConfigureAwait(false);
            if (sent)
            {
                // The socket took it just now: the bucket's spacing counts from here, not from the grant.
                turn.Sent();
                IngressLog.IdentifySent(_logger, Id);
            }
        }
        catch (OperationCanceledException)
        {
            // The connection ended while waiting for the queue.
        }
        catch (Exception e)
        {
            IngressLog.IdentifyFailed(_logger, e, Id);
            ctx.End(new ConnectionEnd(UpstreamEndReason.ProtocolError, 0, "identify failed: " + e.Message), ResumableCloseCode);
        }
    }

    /// <summary>READY (new session: id, resume URL) or RESUMED (replay done); both are published too, for the cache's order.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private void OnSessionDispatch(ConnectionContext ctx, ReadOnlySpan<byte> payload, in Envelope envelope)
    {
        ctx.SessionEstablished = true;
        SetState(ShardState.Connected);
        if (envelope.Kind == EventKind.Resumed)
        {
            IngressLog.Resumed(_logger, Id, envelope.Seq);
            return;
        }

        ReadOnlySpan<byte> data = envelope.Data(payload);
        string? sessionId = ReadString(data, "session_id"u8);
        string? resumeUrl = ReadString(data, "resume_gateway_url"u8);
        Volatile.Write(ref _sessionId, sessionId);
        Volatile.Write(ref _resumeUrl, resumeUrl is not null && Uri.TryCreate(resumeUrl, UriKind.Absolute, out Uri? url) && url.Scheme is "ws" or "wss" ? url : null);
        if (sessionId is null)
        {
            IngressLog.ReadyWithoutSession(_logger, Id);
        }
        else
        {
            IngressLog.Ready(_logger, Id, sessionId);
        }
    }

    private static string? ReadString(ReadOnlySpan<byte> obj, ReadOnlySpan<byte> name)
    {
        if (!EnvelopeScanner.TryFindProperty(obj, name, out int start, out int length, out bool isString) || !isString)
        {
            return null;
        }

        // The range is the string's content; re-read it with its quotes so escapes are decoded.
        var reader = new Utf8JsonReader(obj.Slice(start - 1, length + 2));
        return reader.Read() ? reader.GetString() : null;
    }

    private async Task HeartbeatLoopAsync(ConnectionContext ctx)
    {
        try
        {
            HeartbeatMonitor monitor = await ctx.Hello.WaitAsync(_settings.ConnectTimeout, ctx.Token).ConfigureAwait(false);
            await Task.Delay(monitor.FirstDelay(Random.Shared), ctx.Token).ConfigureAwait(false);
            while (!ctx.IsEnded)
            {
                if (!monitor.TryBeginBeat())
                {
                    IngressLog.Zombie(_logger, Id, monitor.Interval);
                    ctx.End(new ConnectionEnd(UpstreamEndReason.Zombie, 0, "no heartbeat ACK"), ResumableCloseCode, abort: true);
                    return;
                }

                SendHeartbeat(ctx);
                await Task.Delay(monitor.Interval, ctx.Token).ConfigureAwait(false);
            }
        }
        catch (TimeoutException)
        {
            IngressLog.NoHello(_logger, Id, _settings.ConnectTimeout);
            ctx.End(new ConnectionEnd(UpstreamEndReason.Zombie, 0, "no HELLO"), ResumableCloseCode, abort: true);
        }
        catch (OperationCanceledException)
        {
            // The connection ended.
        }
    }

    private void SendHeartbeat(ConnectionContext ctx)
    {
        long seq = _receiver.LastSequence;
        Span<byte> buffer = stackalloc byte[48];
        int length;
        if (seq > 0)
        {
            "{\"op\":1,\"d\":"u8.CopyTo(buffer);
            seq.TryFormat(buffer[12..], out int digits, default, System.Globalization.CultureInfo.InvariantCulture);
            buffer[12 + digits] = (byte)'}';
            length = 13 + digits;
        }
        else
        {
            "{\"op\":1,\"d\":null}"u8.CopyTo(buffer);
            length = 17;
        }

        _limiter.RecordControl();
        ctx.Writer.TrySendText(buffer[..length]);
    }
}
