using System.Buffers;
using System.Net.Sockets;
using System.Text;
using GatewayProxy.Protocol.Http;
using GatewayProxy.Protocol.WebSockets;
using GatewayProxy.Tests.Support;

namespace GatewayProxy.Tests.Egress.Support;

/// <summary>A client that sends one payload (IDENTIFY or RESUME) and then stops reading (tiny receive buffer), until the
/// test reads back what it wants: nothing is read ahead, so the proxy's output really backs up.</summary>
internal sealed class StalledClient : IDisposable
{
    private readonly Socket _socket;
    private readonly WebSocketMessageReader _reader = new(WebSocketRole.Client, 64 * 1024 * 1024, validateUtf8: false);
    private readonly ArrayBufferWriter<byte> _sink = new();
    private const int ReceiveChunk = 64 * 1024;
    private byte[] _pending = new byte[128 * 1024];
    private int _pendingStart;
    private int _pendingCount;

    private StalledClient(Socket socket)
    {
        _socket = socket;
    }

    public static Task<StalledClient> ConnectAndIdentifyAsync(Uri url, string token) =>
        ConnectAsync(url, $"{{\"op\":2,\"d\":{{\"token\":\"{token}\",\"properties\":{{}},\"intents\":513}}}}");

    /// <summary>Upgrades, sends <paramref name="firstPayload"/> (a gateway JSON payload), and reads nothing more.</summary>
    public static async Task<StalledClient> ConnectAsync(Uri url, string firstPayload)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { ReceiveBufferSize = 4096 };
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await socket.ConnectAsync(url.Host, url.Port, timeout.Token);
        byte[] request = WebSocketHandshake.BuildClientRequest($"{url.Host}:{url.Port}", "/?v=10&encoding=json", out _);
        await socket.SendAsync(request, SocketFlags.None, timeout.Token);
        // Read just the 101 response head; whatever follows (HELLO, ...) is read later.
        var head = new List<byte>();
        var one = new byte[1];
        while (head.Count < 4 || !(head[^4] == '\r' && head[^3] == '\n' && head[^2] == '\r' && head[^1] == '\n'))
        {
            int n = await socket.ReceiveAsync(one, SocketFlags.None, timeout.Token);
            if (n == 0) throw new IOException("closed during handshake");
            head.Add(one[0]);
        }

        string response = Encoding.ASCII.GetString(head.ToArray());
        if (!response.StartsWith("HTTP/1.1 101", StringComparison.Ordinal))
        {
            // Refused: the rest is the body that says why, then the server closes.
            var body = new List<byte>();
            var chunk = new byte[4096];
            int n;
            while ((n = await socket.ReceiveAsync(chunk, SocketFlags.None, timeout.Token)) > 0) body.AddRange(chunk.AsSpan(0, n));
            socket.Dispose();
            int status = int.Parse(response.AsSpan(9, 3), System.Globalization.CultureInfo.InvariantCulture);
            throw new HandshakeRejectedException(status, response + Encoding.UTF8.GetString(body.ToArray()), null);
        }

        var frame = new ArrayBufferWriter<byte>();
        WebSocketFrameWriter.WriteFrame(frame, WebSocketOpcode.Text, Encoding.UTF8.GetBytes(firstPayload), maskKey: 0x12345678u);
        await socket.SendAsync(frame.WrittenMemory, SocketFlags.None, timeout.Token);
        return new StalledClient(socket);
    }

    /// <summary>Reads the next message's text; null when the server's close frame comes first (its code in <see cref="Close"/>).</summary>
    public async Task<string?> ReadMessageAsync(TimeSpan limit)
    {
        using var timeout = new CancellationTokenSource(limit);
        while (true)
        {
            var sequence = new ReadOnlySequence<byte>(_pending, _pendingStart, _pendingCount);
            WebSocketReadStatus status = _reader.TryRead(ref sequence, _sink);
            // The reader keeps a partial frame's state: only the unread rest is kept.
            int consumed = _pendingCount - (int)sequence.Length;
            _pendingStart += consumed;
            _pendingCount -= consumed;
            if (status == WebSocketReadStatus.Error) throw new IOException("protocol error: " + _reader.Error);
            if (status == WebSocketReadStatus.Message)
            {
                string text = Encoding.UTF8.GetString(_sink.WrittenSpan);
                _sink.ResetWrittenCount();
                return text;
            }

            if (status == WebSocketReadStatus.Control)
            {
                if (_reader.ControlOpcode != WebSocketOpcode.Close) continue;
                if (!WebSocketMessageReader.TryParseClosePayload(_reader.ControlPayload, out ushort code, out string reason)) throw new IOException("bad close payload");
                Close = (code, reason);
                return null;
            }

            // Room for one more receive: move the unread rest to the front, grow when even that is too little.
            if (_pending.Length - _pendingCount < ReceiveChunk)
            {
                byte[] target = _pendingCount + ReceiveChunk > _pending.Length ? new byte[Math.Max(_pending.Length * 2, _pendingCount + ReceiveChunk)] : _pending;
                Buffer.BlockCopy(_pending, _pendingStart, target, 0, _pendingCount);
                _pending = target;
                _pendingStart = 0;
            }
            else if (_pendingStart + _pendingCount + ReceiveChunk > _pending.Length)
            {
                Buffer.BlockCopy(_pending, _pendingStart, _pending, 0, _pendingCount);
                _pendingStart = 0;
            }

            int n = await _socket.ReceiveAsync(_pending.AsMemory(_pendingStart + _pendingCount, ReceiveChunk), SocketFlags.None, timeout.Token);
            if (n == 0) throw new IOException("connection ended without a close frame");
            _pendingCount += n;
        }
    }

    /// <summary>From now on the client is a fast reader: a socket receive buffer that no longer throttles the server.</summary>
    public void StopStalling() => _socket.ReceiveBufferSize = 1024 * 1024;

    /// <summary>Sends one more gateway payload (a heartbeat), still reading nothing.</summary>
    public async Task SendAsync(string payload)
    {
        var frame = new ArrayBufferWriter<byte>();
        WebSocketFrameWriter.WriteFrame(frame, WebSocketOpcode.Text, Encoding.UTF8.GetBytes(payload), maskKey: 0x12345678u);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await _socket.SendAsync(frame.WrittenMemory, SocketFlags.None, timeout.Token);
    }

    /// <summary>The server's close frame, once read.</summary>
    public (ushort Code, string Reason)? Close { get; private set; }

    /// <summary>Reads every frame until the server's close frame (each within <paramref name="limit"/>); returns its code and
    /// reason, and how many messages came before (collected into <paramref name="messages"/> when given).</summary>
    public async Task<(ushort Code, string Reason, int Messages)> ReadUntilCloseAsync(TimeSpan limit, List<string>? messages = null)
    {
        int count = 0;
        while (await ReadMessageAsync(limit) is { } text)
        {
            count++;
            messages?.Add(text);
        }

        return (Close!.Value.Code, Close.Value.Reason, count);
    }

    public void Dispose() => _socket.Dispose();
}
