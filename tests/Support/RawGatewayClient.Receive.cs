using System.Buffers;
using System.Net.Sockets;
using System.Threading.Channels;
using GatewayProxy.Protocol.Compression;
using GatewayProxy.Protocol.WebSockets;

namespace GatewayProxy.Tests.Support;

/// <summary>The receiving side: a read loop that decodes frames into payloads, and bounded waits for them.</summary>
public sealed partial class RawGatewayClient
{
    /// <summary>The next payload; throws <see cref="GatewayClosedException"/> if the connection closed first, <see cref="TimeoutException"/> after the timeout.</summary>
    public async Task<GatewayMessage> ReceiveAsync(TimeSpan? timeout = null)
    {
        var item = await NextAsync(timeout);
        return item.Message ?? throw new GatewayClosedException(item.CloseCode, item.CloseReason ?? item.Error ?? "closed");
    }

    /// <summary>Receives until a payload matches; returns it with the payloads received before it, in order.</summary>
    public async Task<(GatewayMessage Match, List<GatewayMessage> Before)> ReceiveUntilAsync(Func<GatewayMessage, bool> match, TimeSpan? timeout = null, int maxMessages = 100_000)
    {
        var before = new List<GatewayMessage>();
        var deadline = DateTime.UtcNow + (timeout ?? DefaultTimeout);
        for (var i = 0; i < maxMessages; i++)
        {
            var left = deadline - DateTime.UtcNow;
            var message = await ReceiveAsync(left > TimeSpan.Zero ? left : TimeSpan.FromMilliseconds(1));
            if (match(message))
            {
                return (message, before);
            }

            before.Add(message);
        }

        throw new InvalidOperationException($"no matching payload in {maxMessages} messages");
    }

    /// <summary>Why the connection ended without a close frame (null while open or after a close frame), for failure messages.</summary>
    public string? EndError { get; private set; }

    /// <summary>Reads (and discards) payloads until the server's close frame or the connection's end; returns the close code (null when the TCP connection ended without one).</summary>
    public async Task<ushort?> ReceiveCloseAsync(TimeSpan? timeout = null, int maxMessages = 100_000)
    {
        for (var i = 0; i < maxMessages; i++)
        {
            var item = await NextAsync(timeout);
            if (item.Message is null)
            {
                return item.CloseCode;
            }
        }

        throw new InvalidOperationException($"no close in {maxMessages} messages");
    }

    private async Task<Received> NextAsync(TimeSpan? timeout)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
        cts.CancelAfter(timeout ?? DefaultTimeout);
        try
        {
            return await _received.Reader.ReadAsync(cts.Token);
        }
        catch (OperationCanceledException) when (!_stop.IsCancellationRequested)
        {
            throw new TimeoutException($"nothing received within {timeout ?? DefaultTimeout}");
        }
        catch (ChannelClosedException)
        {
            throw new GatewayClosedException(CloseReceived?.Code, "connection already ended");
        }
    }

    private async Task ReadLoopAsync()
    {
        var reader = new WebSocketMessageReader(WebSocketRole.Client, 256 * 1024 * 1024, validateUtf8: false);
        var message = new ArrayBufferWriter<byte>(65536);
        var decoded = new ArrayBufferWriter<byte>(65536);
        string? error = null;
        try
        {
            while (true)
            {
                var result = await _input.ReadAsync(_stop.Token);
                var buffer = result.Buffer;
                var ended = false;
                while (!ended)
                {
                    var status = reader.TryRead(ref buffer, message);
                    if (status == WebSocketReadStatus.NeedMoreData)
                    {
                        break;
                    }

                    if (status == WebSocketReadStatus.Error)
                    {
                        error = "protocol error: " + WebSocketErrors.Describe(reader.Error);
                        ended = true;
                    }
                    else if (status == WebSocketReadStatus.Control)
                    {
                        ended = await OnControlAsync(reader.ControlOpcode, reader.ControlPayload.ToArray());
                    }
                    else
                    {
                        var binary = reader.MessageOpcode == WebSocketOpcode.Binary;
                        var payload = Decode(message.WrittenSpan, binary, decoded);
                        message.ResetWrittenCount();
                        if (payload is not null)
                        {
                            var gatewayMessage = new GatewayMessage(payload, binary);
                            if (gatewayMessage.Seq is { } s)
                            {
                                LastSeq = s;
                            }

                            _received.Writer.TryWrite(new Received(gatewayMessage, null, null, null));
                        }
                    }
                }

                _input.AdvanceTo(buffer.Start, buffer.End);
                if (ended || result.IsCompleted)
                {
                    break;
                }
            }
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException or OperationCanceledException or InvalidDataException)
        {
            error = e.Message;
        }

        EndError = CloseReceived is null ? error ?? "connection ended without a close frame" : null;
        _received.Writer.TryWrite(new Received(null, CloseReceived?.Code, CloseReceived?.Reason, EndError));
        _received.Writer.TryComplete();
    }

    private byte[]? Decode(ReadOnlySpan<byte> message, bool binary, ArrayBufferWriter<byte> decoded)
    {
        if (_decoder is not null)
        {
            var status = _decoder.Decode(message, decoded);
            if (status == DecodeStatus.Invalid)
            {
                throw new InvalidDataException("decompression failed: " + _decoder.Error);
            }

            if (status == DecodeStatus.NeedMoreData)
            {
                return null;
            }

            var bytes = decoded.WrittenSpan.ToArray();
            decoded.ResetWrittenCount();
            return bytes;
        }

        if (binary)
        {
            // IDENTIFY compress:true: each binary message is a complete zlib stream.
            if (ZlibPayload.TryDecompress(message, decoded, 256 * 1024 * 1024, out var problem) != DecodeStatus.Complete)
            {
                throw new InvalidDataException("payload decompression failed: " + problem);
            }

            var bytes = decoded.WrittenSpan.ToArray();
            decoded.ResetWrittenCount();
            return bytes;
        }

        return message.ToArray();
    }

    private async Task<bool> OnControlAsync(WebSocketOpcode opcode, byte[] payload)
    {
        if (opcode == WebSocketOpcode.Ping)
        {
            await SendFrameAsync(WebSocketOpcode.Pong, payload);
            return false;
        }

        if (opcode != WebSocketOpcode.Close)
        {
            return false;
        }

        CloseReceived = WebSocketMessageReader.TryParseClosePayload(payload, out var code, out var reason) && payload.Length >= 2 ? (code, reason) : ((ushort)1005, "");
        if (!_closeSent)
        {
            try
            {
                await CloseAsync(CloseReceived.Value.Code == 1005 ? (ushort)1000 : CloseReceived.Value.Code);
            }
            catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException or OperationCanceledException)
            {
                // The server already dropped the connection.
            }
        }

        return true;
    }

    private readonly record struct Received(GatewayMessage? Message, ushort? CloseCode, string? CloseReason, string? Error);
}
