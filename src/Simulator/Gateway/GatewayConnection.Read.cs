using System.Buffers;
using System.Text.Json;
using GatewayProxy.Protocol.Gateway;
using GatewayProxy.Protocol.WebSockets;

namespace GatewayProxy.Simulator.Gateway;

/// <summary>The inbound side: frames, control frames, and the checks every client payload passes (size, rate, JSON).</summary>
internal sealed partial class GatewayConnection
{
    /// <summary>Discord's limit on a client payload.</summary>
    public const int MaxClientPayload = 4096;

    /// <summary>Discord's limit on client payloads per window.</summary>
    public const int RateLimitCount = 120;

    /// <summary>Frames larger than this are not even buffered (the close is 4002 either way).</summary>
    private const int MaxBufferedMessage = 1 << 20;

    private static readonly long RateLimitWindowMs = 60_000;
    private readonly Queue<long> _recentPayloads = new();

    private async Task ReadLoopAsync()
    {
        var reader = new WebSocketMessageReader(WebSocketRole.Server, MaxBufferedMessage);
        var message = new ArrayBufferWriter<byte>(4096);
        while (true)
        {
            var result = await _input.ReadAsync(_stop.Token).ConfigureAwait(false);
            var buffer = result.Buffer;
            var done = false;
            try
            {
                while (!done)
                {
                    var status = reader.TryRead(ref buffer, message);
                    switch (status)
                    {
                        case WebSocketReadStatus.NeedMoreData:
                            goto consumed;
                        case WebSocketReadStatus.Error:
                            var code = reader.Error == WebSocketError.MessageTooBig ? (ushort)GatewayCloseCode.DecodeError : WebSocketErrors.ToCloseCode(reader.Error);
                            await CloseAsync(code, WebSocketErrors.Describe(reader.Error)).ConfigureAwait(false);
                            done = true;
                            break;
                        case WebSocketReadStatus.Control:
                            done = await HandleControlAsync(reader.ControlOpcode, reader.ControlPayload.ToArray()).ConfigureAwait(false);
                            break;
                        case WebSocketReadStatus.Message:
                            if (!IsClosing)
                            {
                                try
                                {
                                    await HandleMessageAsync(message.WrittenMemory).ConfigureAwait(false);
                                }
                                finally
                                {
                                    _simulator.CommandHandled();
                                }
                            }

                            message.ResetWrittenCount();
                            break;
                    }
                }

            consumed:;
            }
            finally
            {
                _input.AdvanceTo(buffer.Start, buffer.End);
            }

            if (done)
            {
                // After a protocol error keep draining until the peer closes or the close timer fires, so unread input does not turn our FIN into a reset.
                if (!IsClosing || PeerCloseCode is not null)
                {
                    return;
                }

                await DrainAsync().ConfigureAwait(false);
                return;
            }

            if (result.IsCompleted)
            {
                return;
            }
        }
    }

    private async Task DrainAsync()
    {
        while (true)
        {
            var result = await _input.ReadAsync(_stop.Token).ConfigureAwait(false);
            _input.AdvanceTo(result.Buffer.End);
            if (result.IsCompleted)
            {
                return;
            }
        }
    }

    /// <summary>Ping → pong; close → echo it (unless we closed first) and end. Returns true when reading is over.</summary>
    private async Task<bool> HandleControlAsync(WebSocketOpcode opcode, byte[] payload)
    {
        switch (opcode)
        {
            case WebSocketOpcode.Ping:
                _outbound.Writer.TryWrite(new Outbound(payload, false, IsPong: true));
                return false;
            case WebSocketOpcode.Close:
                PeerCloseCode = WebSocketMessageReader.TryParseClosePayload(payload, out var code, out _) && payload.Length >= 2 ? code : 1005;
                _simulator.Log($"connection {Id} (shard {Shard}): peer closed with {PeerCloseCode}");
                if (Volatile.Read(ref _closing) == 0)
                {
                    ClosedByPeer = true;
                    await CloseAsync(PeerCloseCode == 1005 ? (ushort)1000 : (ushort)PeerCloseCode.Value, "").ConfigureAwait(false);
                }
                else
                {
                    Abort();
                }

                return true;
            default:
                return false;
        }
    }

    /// <summary>One client payload: rate limit (4008), size (4002), JSON (4002), then the command itself.</summary>
    private async Task HandleMessageAsync(ReadOnlyMemory<byte> payload)
    {
        var now = Environment.TickCount64;
        while (_recentPayloads.Count > 0 && now - _recentPayloads.Peek() >= RateLimitWindowMs)
        {
            _recentPayloads.Dequeue();
        }

        _recentPayloads.Enqueue(now);
        if (payload.Length > MaxClientPayload)
        {
            _simulator.RecordCommand(this, Shard, -1, payload.Span);
            await CloseAsync((ushort)GatewayCloseCode.DecodeError, "Error while decoding payload.").ConfigureAwait(false);
            return;
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(payload);
        }
        catch (JsonException)
        {
            _simulator.RecordCommand(this, Shard, -1, payload.Span);
            await CloseAsync((ushort)GatewayCloseCode.DecodeError, "Error while decoding payload.").ConfigureAwait(false);
            return;
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("op", out var opElement) || !opElement.TryInt32(out var op))
            {
                _simulator.RecordCommand(this, Shard, -1, payload.Span);
                await CloseAsync((ushort)GatewayCloseCode.DecodeError, "Error while decoding payload.").ConfigureAwait(false);
                return;
            }

            var d = root.TryGetProperty("d", out var data) ? data : default;
            _simulator.RecordCommand(this, op == (int)GatewayOpcode.Identify ? ShardFromIdentify(d) : Shard, op, payload.Span);
            if (_recentPayloads.Count > RateLimitCount)
            {
                await CloseAsync((ushort)GatewayCloseCode.RateLimited, "You are being rate limited.").ConfigureAwait(false);
                return;
            }

            try
            {
                await HandleCommandAsync(op, d).ConfigureAwait(false);
            }
            catch (Exception e) when (e is InvalidOperationException or FormatException or KeyNotFoundException or ArgumentException)
            {
                // A payload shape the checks above missed: answer as Discord does to undecodable input, and say so.
                _simulator.Log($"connection {Id}: op {op} payload not understood: {e.Message}");
                await CloseAsync((ushort)GatewayCloseCode.DecodeError, "Error while decoding payload.").ConfigureAwait(false);
            }
        }
    }

    private int ShardFromIdentify(JsonElement d)
    {
        if (Shard >= 0)
        {
            return Shard;
        }

        if (d.ValueKind == JsonValueKind.Object && d.TryGetProperty("shard", out var shard) && shard.ValueKind == JsonValueKind.Array
            && shard.GetArrayLength() == 2 && shard[0].TryInt32(out var id) && id >= 0 && id < _simulator.Options.ShardCount)
        {
            return id;
        }

        return d.ValueKind == JsonValueKind.Object && !d.TryGetProperty("shard", out _) ? 0 : -1;
    }
}
