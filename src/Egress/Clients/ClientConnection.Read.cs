using GatewayProxy.Egress.Server;
using System.Buffers;
using System.IO.Pipelines;
using System.Text.Json;
using GatewayProxy.Egress.Metrics;
using GatewayProxy.Protocol.Gateway;
using GatewayProxy.Protocol.WebSockets;
using Microsoft.Extensions.Logging;

namespace GatewayProxy.Egress.Clients;

/// <summary>Reading: frames, control frames, and what each client opcode does.</summary>
internal sealed partial class ClientConnection
{
    private static readonly byte[] HeartbeatAck = BuildAck();

    private async Task ReadLoopAsync()
    {
        PipeReader input = _transport.Input;
        while (true)
        {
            ReadResult result;
            try
            {
                result = await input.ReadAsync().ConfigureAwait(false);
            }
            catch (Exception e) when (e is IOException or System.Net.Sockets.SocketException or ObjectDisposedException or InvalidOperationException or OperationCanceledException)
            {
                Close(GatewayCloseCode.None, "connection lost", ClientDisconnectReason.Dropped, keepSession: true);
                return;
            }

            if (result.IsCanceled || IsCloseRequested)
            {
                input.AdvanceTo(result.Buffer.Start);
                return;
            }

            ReadOnlySequence<byte> buffer = result.Buffer;
            bool stop = ProcessFrames(ref buffer);
            input.AdvanceTo(buffer.Start, buffer.End);
            if (stop || IsCloseRequested) return;
            if (result.IsCompleted)
            {
                // TCP ended without a close frame (oceanic.js after op 7, crashes, network loss): resumable.
                Close(GatewayCloseCode.None, "connection dropped", ClientDisconnectReason.Dropped, keepSession: true);
                return;
            }
        }
    }

    /// <summary>Consumes whole frames; true when the connection must stop reading.</summary>
    private bool ProcessFrames(ref ReadOnlySequence<byte> buffer)
    {
        while (!IsCloseRequested)
        {
            WebSocketReadStatus status = _frames.TryRead(ref buffer, _message);
            switch (status)
            {
                case WebSocketReadStatus.NeedMoreData:
                    return false;
                case WebSocketReadStatus.Error:
                    OnProtocolError(_frames.Error);
                    return true;
                case WebSocketReadStatus.Control:
                    if (OnControl(_frames.ControlOpcode, _frames.ControlPayload)) return true;
                    break;
                default:
                    OnPayload(_message.WrittenMemory);
                    _message.ResetWrittenCount();
                    break;
            }
        }

        return true;
    }

    private void OnProtocolError(WebSocketError error)
    {
        if (error == WebSocketError.MessageTooBig)
        {
            Close(GatewayCloseCode.DecodeError, $"decode error: payloads are limited to {_context.Options.MaxClientPayloadBytes} bytes", ClientDisconnectReason.DecodeError, keepSession: true);
            return;
        }

        Close((GatewayCloseCode)WebSocketErrors.ToCloseCode(error), WebSocketErrors.Describe(error), ClientDisconnectReason.ProtocolError, keepSession: true);
    }

    /// <summary>Handles a control frame; true when the connection must stop reading.</summary>
    private bool OnControl(WebSocketOpcode opcode, ReadOnlySpan<byte> payload)
    {
        if (opcode == WebSocketOpcode.Ping)
        {
            Output.TryWritePong(payload);
            return false;
        }

        if (opcode != WebSocketOpcode.Close) return false;

        // 1000/1001 end the session (the bot goes offline); any other code leaves it resumable (Eris closes 4901 after op 7).
        bool hasCode = WebSocketMessageReader.TryParseClosePayload(payload, out ushort code, out _) && payload.Length >= 2;
        bool keep = !(hasCode && (GatewayCloseCode)code is GatewayCloseCode.NormalClosure or GatewayCloseCode.GoingAway);
        GatewayCloseCode echo = hasCode && WebSocketCloseCodes.IsValidOnWire(code) ? (GatewayCloseCode)code : GatewayCloseCode.NormalClosure;
        Close(echo, string.Empty, ClientDisconnectReason.ClientClose, keep, peerClosed: true);
        return true;
    }

    private void OnPayload(ReadOnlyMemory<byte> json)
    {
        long now = Environment.TickCount64;
        if (!_rate.TryAcquire(now))
        {
            Close(GatewayCloseCode.RateLimited, "rate limited: more than 120 payloads in 60 seconds", ClientDisconnectReason.RateLimited, keepSession: true);
            return;
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json);
        }
        catch (JsonException)
        {
            Close(GatewayCloseCode.DecodeError, "decode error: invalid JSON", ClientDisconnectReason.DecodeError, keepSession: true);
            return;
        }

        using (document)
        {
            JsonElement root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("op", out JsonElement opValue)
                || opValue.ValueKind != JsonValueKind.Number || !opValue.TryGetInt32(out int op))
            {
                Close(GatewayCloseCode.DecodeError, "decode error: a payload must be an object with an integer op", ClientDisconnectReason.DecodeError, keepSession: true);
                return;
            }

            JsonElement d = root.TryGetProperty("d", out JsonElement data) ? data : default;
            OnCommand(op, d, json.Span, now);
        }
    }

    private void OnCommand(int op, JsonElement d, ReadOnlySpan<byte> json, long now)
    {
        switch (op)
        {
            case (int)GatewayOpcode.Heartbeat:
                // d may be null, 0 or the last seq; the answer is always an ACK, before IDENTIFY too.
                Volatile.Write(ref _lastHeartbeat, now);
                Output.TrySend(HeartbeatAck);
                return;
            case (int)GatewayOpcode.Identify:
                if (_state != ConnectionState.AwaitingIdentify)
                {
                    Close(GatewayCloseCode.AlreadyAuthenticated, "already authenticated: IDENTIFY was already sent on this connection", ClientDisconnectReason.AlreadyAuthenticated, keepSession: true);
                    return;
                }

                OnIdentify(d);
                return;
            case (int)GatewayOpcode.Resume:
                if (_state != ConnectionState.AwaitingIdentify)
                {
                    Close(GatewayCloseCode.AlreadyAuthenticated, "already authenticated: RESUME after IDENTIFY or RESUME on this connection", ClientDisconnectReason.AlreadyAuthenticated, keepSession: true);
                    return;
                }

                OnResume(d);
                return;
            case (int)GatewayOpcode.PresenceUpdate:
            case (int)GatewayOpcode.VoiceStateUpdate:
            case (int)GatewayOpcode.RequestGuildMembers:
            case (int)GatewayOpcode.RequestSoundboardSounds:
                if (_state == ConnectionState.AwaitingIdentify)
                {
                    Close(GatewayCloseCode.NotAuthenticated, "not authenticated: send IDENTIFY before any command but heartbeats", ClientDisconnectReason.NotAuthenticated, keepSession: true);
                    return;
                }

                Forward(op, d, json);
                return;
            default:
                Close(GatewayCloseCode.UnknownOpcode, $"unknown opcode: {op} is not a command a client can send", ClientDisconnectReason.UnknownOpcode, keepSession: true);
                return;
        }
    }

    private static byte[] BuildAck()
    {
        var writer = new ArrayBufferWriter<byte>(48);
        GatewayPayloads.WriteHeartbeatAck(writer);
        return writer.WrittenSpan.ToArray();
    }

    private void LogCommandDropped(int op, string? reason) =>
        EgressLog.CommandDropped(_context.Logger, op, ShardId, reason);
}
