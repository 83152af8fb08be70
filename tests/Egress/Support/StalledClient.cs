using System.Buffers;
using System.Net.Sockets;
using System.Text;
using GatewayProxy.Protocol.Http;
using GatewayProxy.Protocol.WebSockets;

namespace GatewayProxy.Tests.Egress.Support;

/// <summary>A client that identifies and then stops reading (tiny receive buffer), until the test reads everything back.</summary>
internal sealed class StalledClient : IDisposable
{
    private readonly Socket _socket;
    private readonly byte[] _leftover;

    private StalledClient(Socket socket, byte[] leftover)
    {
        _socket = socket;
        _leftover = leftover;
    }

    public static async Task<StalledClient> ConnectAndIdentifyAsync(Uri url, string token)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { ReceiveBufferSize = 4096 };
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        await socket.ConnectAsync(url.Host, url.Port, timeout.Token);
        byte[] request = WebSocketHandshake.BuildClientRequest($"{url.Host}:{url.Port}", "/?v=10&encoding=json", out _);
        await socket.SendAsync(request, SocketFlags.None, timeout.Token);
        // Read just the 101 response head; whatever follows (HELLO, ...) is kept for later.
        var head = new List<byte>();
        var one = new byte[1];
        while (head.Count < 4 || !(head[^4] == '\r' && head[^3] == '\n' && head[^2] == '\r' && head[^1] == '\n'))
        {
            int n = await socket.ReceiveAsync(one, SocketFlags.None, timeout.Token);
            if (n == 0) throw new IOException("closed during handshake");
            head.Add(one[0]);
        }

        if (!Encoding.ASCII.GetString(head.ToArray()).StartsWith("HTTP/1.1 101", StringComparison.Ordinal)) throw new IOException("upgrade refused");
        var frame = new ArrayBufferWriter<byte>();
        byte[] identify = Encoding.UTF8.GetBytes($"{{\"op\":2,\"d\":{{\"token\":\"{token}\",\"properties\":{{}},\"intents\":1}}}}");
        WebSocketFrameWriter.WriteFrame(frame, WebSocketOpcode.Text, identify, maskKey: 0x12345678u);
        await socket.SendAsync(frame.WrittenMemory, SocketFlags.None, timeout.Token);
        return new StalledClient(socket, []);
    }

    /// <summary>Reads every frame until the server's close frame; returns its code and reason, and how many messages came before.</summary>
    public async Task<(ushort Code, string Reason, int Messages)> ReadUntilCloseAsync(TimeSpan limit)
    {
        using var timeout = new CancellationTokenSource(limit);
        var reader = new WebSocketMessageReader(WebSocketRole.Client, 64 * 1024 * 1024, validateUtf8: false);
        var sink = new ArrayBufferWriter<byte>();
        var pending = new List<byte>(_leftover);
        var buffer = new byte[64 * 1024];
        int messages = 0;
        while (true)
        {
            var sequence = new ReadOnlySequence<byte>(pending.ToArray());
            while (true)
            {
                WebSocketReadStatus status = reader.TryRead(ref sequence, sink);
                if (status == WebSocketReadStatus.NeedMoreData) break;
                if (status == WebSocketReadStatus.Error) throw new IOException("protocol error: " + reader.Error);
                if (status == WebSocketReadStatus.Message)
                {
                    messages++;
                    sink.ResetWrittenCount();
                    continue;
                }

                if (reader.ControlOpcode == WebSocketOpcode.Close)
                {
                    if (!WebSocketMessageReader.TryParseClosePayload(reader.ControlPayload, out ushort code, out string reason)) throw new IOException("bad close payload");
                    return (code, reason, messages);
                }
            }

            pending = new List<byte>(sequence.ToArray());
            int n = await _socket.ReceiveAsync(buffer, SocketFlags.None, timeout.Token);
            if (n == 0) throw new IOException($"connection ended without a close frame after {messages} messages");
            pending.AddRange(buffer.AsSpan(0, n).ToArray());
        }
    }

    public void Dispose() => _socket.Dispose();
}
