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
                Close(0, "connection lost", DisconnectReason.Dropped, keepSession: true);
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
                Close(0, "connection dropped", DisconnectReason.Dropped, keepSession: true);
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
            Close(4002, $"decode error: payloads are limited to {_context.Options.MaxClientPayloadBytes} bytes", DisconnectReason.DecodeError, keepSession: true);
            return;
        }

        Close(WebSocketErrors.ToCloseCode(error), WebSocketErrors.Describe(error), DisconnectReason.ProtocolError, keepSession: true);
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
        bool keep = !(hasCode && code is 1000 or 1001);
        ushort echo = hasCode && WebSocketCloseCodes.IsValidOnWire(code) ? code : (ushort)1000;
        Close(echo, string.Empty, DisconnectReason.ClientClose, keep, peerClosed: true);
        return true;
    }

    private void OnPayload(ReadOnlyMemory<byte> json)
    {
        long now = Environment.TickCount64;
        if (!_rate.TryAcquire(now))
        {
            Close(4008, "rate limited: more than 120 payloads in 60 seconds", DisconnectReason.RateLimited, keepSession: true);
            return;
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json);
        }
        catch (JsonException)
        {
            Close(4002, "decode error: invalid JSON", DisconnectReason.DecodeError, keepSession: true);
            return;
        }

        using (document)
        {
            JsonElement root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("op", out JsonElement opValue)
                || opValue.ValueKind != JsonValueKind.Number || !opValue.TryGetInt32(out int op))
            {
                Close(4002, "decode error: a payload must be an object with an integer op", DisconnectReason.DecodeError, keepSession: true);
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
                    Close(4005, "already authenticated: IDENTIFY was already sent on this connection", DisconnectReason.AlreadyAuthenticated, keepSession: true);
                    return;
                }

                OnIdentify(d);
                return;
            case (int)GatewayOpcode.Resume:
                if (_state != ConnectionState.AwaitingIdentify)
                {
                    Close(4005, "already authenticated: RESUME after IDENTIFY or RESUME on this connection", DisconnectReason.AlreadyAuthenticated, keepSession: true);
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
                    Close(4003, "not authenticated: send IDENTIFY before any command but heartbeats", DisconnectReason.NotAuthenticated, keepSession: true);
                    return;
                }

                Forward(op, d, json);
                return;
            default:
                Close(4001, $"unknown opcode: {op} is not a command a client can send", DisconnectReason.UnknownOpcode, keepSession: true);
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
