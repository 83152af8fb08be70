using System.Buffers;
using System.IO.Pipelines;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Threading.Channels;
using GatewayProxy.Protocol.Compression;
using GatewayProxy.Protocol.Gateway;
using GatewayProxy.Protocol.Http;
using GatewayProxy.Protocol.WebSockets;

namespace GatewayProxy.Tests.Support;

/// <summary>
/// A small raw gateway client for tests: TCP (+TLS) to a ws:// or wss:// URL, the client handshake, masked text
/// frames out, frames in (zlib-stream / zstd-stream / IDENTIFY compress:true decoded), and the close frame seen.
/// Every wait is bounded.
/// </summary>
public sealed partial class RawGatewayClient : IAsyncDisposable
{
    /// <summary>How long a receive waits by default.</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(20);

    private readonly Socket _socket;
    private readonly Stream _stream;
    private readonly PipeReader _input;
    private readonly PipeWriter _output;
    private readonly IMessageDecoder? _decoder;
    private readonly SemaphoreSlim _sendLock = new(1, 1);
    private readonly Channel<Received> _received = Channel.CreateUnbounded<Received>();
    private readonly CancellationTokenSource _stop = new();
    private Task _readLoop = Task.CompletedTask;
    private int _disposed;
    private bool _closeSent;

    private RawGatewayClient(Socket socket, Stream stream, TransportCompression compression)
    {
        _socket = socket;
        _stream = stream;
        _input = PipeReader.Create(stream, new StreamPipeReaderOptions(bufferSize: 65536, leaveOpen: true));
        _output = PipeWriter.Create(stream, new StreamPipeWriterOptions(leaveOpen: true));
        Compression = compression;
        _decoder = MessageCodecs.CreateDecoder(compression);
    }

    /// <summary>The transport compression asked for in the URL.</summary>
    public TransportCompression Compression { get; }

    /// <summary>The highest <c>s</c> received so far (for heartbeats and RESUME).</summary>
    public long? LastSeq { get; private set; }

    /// <summary>With <c>dropAfterUpgrade</c>: how many bytes came in the same read as the 101 and were dropped.</summary>
    public long BytesDroppedAfterUpgrade { get; private set; }

    /// <summary>The close the server sent, once received.</summary>
    public (ushort Code, string Reason)? CloseReceived { get; private set; }

    /// <summary>
    /// Connects to <paramref name="gatewayUrl"/> (ws:// or wss://) with <c>?v=10&amp;encoding=json</c> and the compression;
    /// for wss:// only <paramref name="trustedCertificate"/> is accepted (by thumbprint).
    /// </summary>
    /// <remarks>With <paramref name="dropAfterUpgrade"/> the client behaves like the libraries that read the 101 response and
    /// throw away whatever else arrived in the same read (<see cref="BytesDroppedAfterUpgrade"/> says how much that was).</remarks>
    public static async Task<RawGatewayClient> ConnectAsync(Uri gatewayUrl, TransportCompression compression = TransportCompression.None,
        X509Certificate2? trustedCertificate = null, string? pathAndQuery = null, bool dropAfterUpgrade = false, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(gatewayUrl);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(DefaultTimeout);
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(gatewayUrl.Host, gatewayUrl.Port, timeout.Token);
            Stream stream = new NetworkStream(socket, ownsSocket: false);
            if (gatewayUrl.Scheme == "wss")
            {
                var ssl = new SslStream(stream, leaveInnerStreamOpen: false, (_, certificate, _, errors) =>
                    errors == SslPolicyErrors.None || (trustedCertificate is not null && certificate is not null
                        && string.Equals(certificate.GetCertHashString(), trustedCertificate.Thumbprint, StringComparison.OrdinalIgnoreCase)));
                await ssl.AuthenticateAsClientAsync(new SslClientAuthenticationOptions { TargetHost = gatewayUrl.Host }, timeout.Token);
                stream = ssl;
            }

            var client = new RawGatewayClient(socket, stream, compression);
            var query = pathAndQuery ?? "/?v=10&encoding=json" + (compression == TransportCompression.None ? "" : "&compress=" + TransportCompressions.ToQueryValue(compression));
            await client.HandshakeAsync($"{gatewayUrl.Host}:{gatewayUrl.Port}", query, dropAfterUpgrade, timeout.Token);
            client._readLoop = Task.Run(client.ReadLoopAsync, CancellationToken.None);
            return client;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>Sends a text frame (masked) holding <paramref name="json"/>.</summary>
    public Task SendAsync(string json) => SendFrameAsync(WebSocketOpcode.Text, Encoding.UTF8.GetBytes(json));

    /// <summary>Sends one masked frame.</summary>
    public async Task SendFrameAsync(WebSocketOpcode opcode, ReadOnlyMemory<byte> payload, bool fin = true)
    {
        await _sendLock.WaitAsync(_stop.Token);
        try
        {
            WebSocketFrameWriter.WriteFrame(_output, opcode, payload.Span, fin, MaskKey());
            await _output.FlushAsync(_stop.Token);
        }
        finally
        {
            _sendLock.Release();
        }
    }

    /// <summary>Writes bytes as they are (for malformed frames).</summary>
    public async Task SendRawAsync(ReadOnlyMemory<byte> bytes)
    {
        await _sendLock.WaitAsync(_stop.Token);
        try
        {
            await _output.WriteAsync(bytes, _stop.Token);
        }
        finally
        {
            _sendLock.Release();
        }
    }

    /// <summary>IDENTIFY with the given token, shard and intents (<paramref name="extra"/> is raw JSON members appended to <c>d</c>, e.g. <c>,"compress":true</c>).</summary>
    public Task IdentifyAsync(string token, int shard, int shardCount, long intents, string extra = "") =>
        SendAsync($"{{\"op\":2,\"d\":{{\"token\":\"{token}\",\"properties\":{{\"os\":\"linux\",\"browser\":\"raw\",\"device\":\"raw\"}},\"shard\":[{shard},{shardCount}],\"intents\":{intents}{extra}}}}}");

    /// <summary>RESUME a session from a sequence.</summary>
    public Task ResumeAsync(string token, string sessionId, long seq)
    {
        var buffer = new ArrayBufferWriter<byte>();
        GatewayPayloads.WriteResume(buffer, token, sessionId, seq);
        return SendFrameAsync(WebSocketOpcode.Text, buffer.WrittenMemory);
    }

    /// <summary>A heartbeat with <see cref="LastSeq"/>.</summary>
    public Task HeartbeatAsync() => SendAsync(LastSeq is { } s ? $"{{\"op\":1,\"d\":{s}}}" : "{\"op\":1,\"d\":null}");

    /// <summary>Sends a close frame.</summary>
    public async Task CloseAsync(ushort code, string reason = "")
    {
        await _sendLock.WaitAsync(_stop.Token);
        try
        {
            _closeSent = true;
            WebSocketFrameWriter.WriteClose(_output, code, reason, MaskKey());
            await _output.FlushAsync(_stop.Token);
        }
        finally
        {
            _sendLock.Release();
        }
    }

    /// <summary>Drops the TCP connection without a close frame.</summary>
    public void Abort()
    {
        try
        {
            _socket.Shutdown(SocketShutdown.Both);
        }
        catch (SocketException)
        {
            // Already reset.
        }
        catch (ObjectDisposedException)
        {
            // Already closed.
        }

        _socket.Close();
    }

    /// <summary>Drops the connection and stops reading; later calls do nothing (tests dispose early and again at scope end).</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        Abort();
        await _stop.CancelAsync();
        await Task.WhenAny(_readLoop, Task.Delay(TimeSpan.FromSeconds(5)));
        _decoder?.Dispose();
        await _stream.DisposeAsync();
        _socket.Dispose();
        _stop.Dispose();
    }

    private async Task HandshakeAsync(string host, string pathAndQuery, bool dropAfterUpgrade, CancellationToken ct)
    {
        var request = WebSocketHandshake.BuildClientRequest(host, pathAndQuery, out var key);
        await _output.WriteAsync(request, ct);
        while (true)
        {
            var result = await _input.ReadAsync(ct);
            var status = WebSocketHandshake.TryParseClientResponse(result.Buffer, key, out var consumed, out var code, out var error);
            if (status == HttpParseStatus.Complete)
            {
                if (dropAfterUpgrade)
                {
                    // One read from the socket filled this buffer: everything in it past the 101 is lost, as in those libraries.
                    BytesDroppedAfterUpgrade = result.Buffer.Slice(consumed).Length;
                    _input.AdvanceTo(result.Buffer.End);
                    return;
                }

                _input.AdvanceTo(consumed);
                return;
            }

            if (status == HttpParseStatus.Invalid)
            {
                var body = Encoding.UTF8.GetString(result.Buffer.ToArray());
                _input.AdvanceTo(result.Buffer.End);
                throw new HandshakeRejectedException(code, body, error);
            }

            _input.AdvanceTo(result.Buffer.Start, result.Buffer.End);
            if (result.IsCompleted)
            {
                throw new HandshakeRejectedException(0, "", "connection closed during the handshake");
            }
        }
    }

    private static uint MaskKey() => (uint)RandomNumberGenerator.GetInt32(int.MinValue, int.MaxValue);

}
