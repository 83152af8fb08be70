using System.Buffers;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using GatewayProxy.Protocol.Compression;
using GatewayProxy.Protocol.Gateway;

namespace GatewayProxy.Perf.Soak;

/// <summary>A small gateway client for the soak: HELLO, IDENTIFY, RESUME, heartbeats, with or without transport compression
/// (zlib-stream, zstd-stream), counting the bytes it received on the wire and as JSON.</summary>
internal sealed class SoakClient : IAsyncDisposable
{
    private readonly ClientWebSocket _socket = new();
    private readonly IMessageDecoder? _decoder;
    private readonly ArrayBufferWriter<byte> _json = new(64 * 1024);
    private byte[] _buffer = new byte[64 * 1024];

    private SoakClient(TransportCompression compression)
    {
        Compression = compression;
        _decoder = MessageCodecs.CreateDecoder(compression);
    }

    /// <summary>The transport compression asked for in the URL.</summary>
    public TransportCompression Compression { get; }

    /// <summary>Session id from READY (or the one resumed).</summary>
    public string? SessionId { get; private set; }

    /// <summary>Last dispatch sequence received.</summary>
    public long LastSeq { get; private set; }

    /// <summary>HELLO's heartbeat interval.</summary>
    public int HeartbeatMs { get; private set; }

    /// <summary>Dispatches received.</summary>
    public long Dispatches { get; private set; }

    /// <summary>Bytes of WebSocket message payloads received (compressed when the transport is).</summary>
    public long WireBytes { get; private set; }

    /// <summary>Bytes of JSON payloads received (after decompression).</summary>
    public long JsonBytes { get; private set; }

    /// <summary>Close status the proxy sent, once closed.</summary>
    public WebSocketCloseStatus? CloseStatus => _socket.CloseStatus;

    /// <summary>Opens the WebSocket (<paramref name="url"/> carries v and encoding; compress is added) and reads HELLO.</summary>
    public static async Task<SoakClient> ConnectAsync(Uri url, TransportCompression compression, CancellationToken ct)
    {
        var client = new SoakClient(compression);
        try
        {
            Uri target = compression == TransportCompression.None ? url : new Uri(url + "&compress=" + TransportCompressions.ToQueryValue(compression));
            await client._socket.ConnectAsync(target, ct);
            ReadOnlyMemory<byte> hello = await client.ReceiveAsync(ct) ?? throw new InvalidOperationException("closed before HELLO");
            using JsonDocument doc = JsonDocument.Parse(hello);
            client.HeartbeatMs = doc.RootElement.GetProperty("d").GetProperty("heartbeat_interval").GetInt32();
            return client;
        }
        catch
        {
            await client.DisposeAsync();
            throw;
        }
    }

    /// <summary>Sends IDENTIFY and reads until READY.</summary>
    public async Task IdentifyAsync(string token, int shard, int shards, CancellationToken ct)
    {
        await SendAsync($$$"""{"op":2,"d":{"token":"{{{token}}}","intents":33539,"properties":{"os":"linux","browser":"soak","device":"soak"},"shard":[{{{shard}}},{{{shards}}}]}}""", ct);
        while (SessionId is null)
        {
            _ = await ReceiveAsync(ct) ?? throw new InvalidOperationException($"closed before READY ({CloseStatus})");
        }
    }

    /// <summary>Sends RESUME and reads until RESUMED (true) or INVALID_SESSION (false).</summary>
    public async Task<bool> ResumeAsync(string token, string sessionId, long seq, CancellationToken ct)
    {
        await SendAsync($$$"""{"op":6,"d":{"token":"{{{token}}}","session_id":"{{{sessionId}}}","seq":{{{seq}}}}}""", ct);
        while (true)
        {
            ReadOnlyMemory<byte> message = await ReceiveAsync(ct) ?? throw new InvalidOperationException($"closed during RESUME ({CloseStatus})");
            if (!EnvelopeScanner.TryScan(message.Span, out Envelope envelope, out _))
            {
                continue;
            }

            if (envelope.Op == 9)
            {
                return false;
            }

            if (envelope.TypeName(message.Span).SequenceEqual("RESUMED"u8))
            {
                SessionId = sessionId;
                return true;
            }
        }
    }

    /// <summary>Sends a heartbeat with the last sequence.</summary>
    public Task HeartbeatAsync(CancellationToken ct) => SendAsync($$"""{"op":1,"d":{{LastSeq}}}""", ct);

    /// <summary>Reads one payload (null when the proxy closed), tracking the sequence and READY's session id.</summary>
    public async Task<ReadOnlyMemory<byte>?> ReceiveAsync(CancellationToken ct)
    {
        int length = 0;
        while (true)
        {
            if (length == _buffer.Length)
            {
                Array.Resize(ref _buffer, _buffer.Length * 2);
            }

            ValueWebSocketReceiveResult result = await _socket.ReceiveAsync(_buffer.AsMemory(length), ct);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                return null;
            }

            length += result.Count;
            if (result.EndOfMessage)
            {
                break;
            }
        }

        WireBytes += length;
        ReadOnlyMemory<byte> message = _buffer.AsMemory(0, length);
        if (_decoder is not null)
        {
            _json.ResetWrittenCount();
            DecodeStatus status = _decoder.Decode(message.Span, _json);
            if (status == DecodeStatus.Invalid)
            {
                throw new InvalidDataException($"{TransportCompressions.ToName(Compression)}: {_decoder.Error}");
            }

            message = _json.WrittenMemory;
        }

        JsonBytes += message.Length;
        if (EnvelopeScanner.TryScan(message.Span, out Envelope envelope, out _) && envelope.Op == 0)
        {
            Dispatches++;
            LastSeq = envelope.Seq >= 0 ? envelope.Seq : LastSeq;
            if (envelope.TypeName(message.Span).SequenceEqual("READY"u8))
            {
                using JsonDocument doc = JsonDocument.Parse(message);
                SessionId = doc.RootElement.GetProperty("d").GetProperty("session_id").GetString();
            }
        }

        return message;
    }

    /// <summary>A normal close (1000), bounded by <paramref name="ct"/>.</summary>
    public async Task CloseAsync(CancellationToken ct)
    {
        if (_socket.State == WebSocketState.Open)
        {
            await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "soak", ct);
        }
    }

    /// <summary>Drops the TCP connection without a close frame (a crashed bot).</summary>
    public void Abort() => _socket.Abort();

    private Task SendAsync(string json, CancellationToken ct) =>
        _socket.SendAsync(Encoding.UTF8.GetBytes(json), WebSocketMessageType.Text, true, ct);

    /// <inheritdoc />
    public ValueTask DisposeAsync()
    {
        _socket.Dispose();
        _decoder?.Dispose();
        return ValueTask.CompletedTask;
    }
}
