using System.Buffers;
using System.Net;
using System.Net.Sockets;
using System.Net.WebSockets;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using GatewayProxy.Protocol.Compression;
using GatewayProxy.Protocol.Http;

namespace GatewayProxy.Perf.EndToEnd;

/// <summary>
/// Baseline 2, what a user writes in an afternoon: System.Net.WebSockets on both sides, one upstream connection per
/// client, every downstream payload parsed with System.Text.Json, <c>s</c> rewritten, serialized and sent (through the
/// project's codecs when the client asked for transport compression; the upstream hop uses the same compression).
/// </summary>
internal static class NaiveProxy
{
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Serves one client until either side closes.</summary>
    public static async Task RunAsync(Socket socket, IPEndPoint upstream, CancellationToken ct)
    {
        using (socket)
        using (var stream = new NetworkStream(socket, ownsSocket: false))
        using (var server = new ClientWebSocket())
        {
            try
            {
                var (query, key) = await ReadUpgradeAsync(stream, ct).ConfigureAwait(false);
                var compression = CompressionOf(query);
                var suffix = compression == TransportCompression.None ? "" : "&compress=" + TransportCompressions.ToQueryValue(compression);
                await server.ConnectAsync(new Uri($"ws://{upstream}/?v=10&encoding=json{suffix}"), ct).ConfigureAwait(false);
                var accept = WebSocketHandshake.ComputeAccept(key);
                await stream.WriteAsync(Encoding.ASCII.GetBytes(
                    $"HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: {accept}\r\n\r\n"), ct).ConfigureAwait(false);
                using var client = WebSocket.CreateFromStream(stream, new WebSocketCreationOptions { IsServer = true, KeepAliveInterval = Timeout.InfiniteTimeSpan });
                var down = DownstreamAsync(server, client, compression, ct);
                var up = UpstreamAsync(client, server, ct);
                await Task.WhenAny(down, up).ConfigureAwait(false);
            }
            catch (Exception e) when (e is WebSocketException or SocketException or OperationCanceledException or IOException or InvalidDataException)
            {
                // Either side went away (or the request was not an upgrade).
            }
        }
    }

    /// <summary>Reads the HTTP upgrade request (the client sends nothing more until it gets the 101) and returns its query and key.</summary>
    private static async Task<(string Query, string Key)> ReadUpgradeAsync(NetworkStream stream, CancellationToken ct)
    {
        var buffer = new byte[8192];
        var length = 0;
        while (true)
        {
            var read = await stream.ReadAsync(buffer.AsMemory(length), ct).ConfigureAwait(false);
            if (read == 0 || length + read == buffer.Length)
            {
                throw new InvalidDataException("no complete upgrade request");
            }

            length += read;
            var text = Encoding.ASCII.GetString(buffer, 0, length);
            if (text.Contains("\r\n\r\n", StringComparison.Ordinal))
            {
                var lines = text.Split("\r\n");
                var target = lines[0].Split(' ')[1];
                var query = target.Contains('?', StringComparison.Ordinal) ? target[(target.IndexOf('?', StringComparison.Ordinal) + 1)..] : "";
                foreach (var line in lines)
                {
                    if (line.StartsWith("Sec-WebSocket-Key:", StringComparison.OrdinalIgnoreCase))
                    {
                        return (query, line["Sec-WebSocket-Key:".Length..].Trim());
                    }
                }

                throw new InvalidDataException("no Sec-WebSocket-Key");
            }
        }
    }

    private static TransportCompression CompressionOf(string query)
    {
        foreach (var pair in query.Split('&'))
        {
            if (pair.StartsWith("compress=", StringComparison.Ordinal) && TransportCompressions.TryParse(pair["compress=".Length..], out var c))
            {
                return c;
            }
        }

        return TransportCompression.None;
    }

    private static async Task DownstreamAsync(ClientWebSocket server, WebSocket client, TransportCompression compression, CancellationToken ct)
    {
        using var decoder = MessageCodecs.CreateDecoder(compression);
        using var encoder = MessageCodecs.CreateEncoder(compression);
        var message = new ArrayBufferWriter<byte>(64 * 1024);
        var json = new ArrayBufferWriter<byte>(64 * 1024);
        var output = new ArrayBufferWriter<byte>(64 * 1024);
        long seq = 0;
        while (true)
        {
            message.ResetWrittenCount();
            var type = await ReceiveMessageAsync(server, message, ct).ConfigureAwait(false);
            if (type == WebSocketMessageType.Close)
            {
                return;
            }

            ReadOnlyMemory<byte> payload = message.WrittenMemory;
            if (decoder is not null)
            {
                json.ResetWrittenCount();
                if (decoder.Decode(message.WrittenSpan, json) != DecodeStatus.Complete)
                {
                    return;
                }

                payload = json.WrittenMemory;
            }

            // The naive part: the whole payload becomes a DOM, s is replaced, the DOM is written out again.
            var node = JsonNode.Parse(payload.Span)!.AsObject();
            if (node["s"] is JsonValue)
            {
                node["s"] = ++seq;
            }

            output.ResetWrittenCount();
            using (var writer = new Utf8JsonWriter(output, WriterOptions))
            {
                node.WriteTo(writer);
            }

            if (encoder is null)
            {
                await client.SendAsync(output.WrittenMemory, WebSocketMessageType.Text, true, ct).ConfigureAwait(false);
            }
            else
            {
                json.ResetWrittenCount();
                encoder.Encode(output.WrittenSpan, json);
                await client.SendAsync(json.WrittenMemory, WebSocketMessageType.Binary, true, ct).ConfigureAwait(false);
            }
        }
    }

    private static async Task UpstreamAsync(WebSocket client, ClientWebSocket server, CancellationToken ct)
    {
        var message = new ArrayBufferWriter<byte>(4096);
        while (true)
        {
            message.ResetWrittenCount();
            var type = await ReceiveMessageAsync(client, message, ct).ConfigureAwait(false);
            if (type == WebSocketMessageType.Close)
            {
                return;
            }

            await server.SendAsync(message.WrittenMemory, WebSocketMessageType.Text, true, ct).ConfigureAwait(false);
        }
    }

    private static async Task<WebSocketMessageType> ReceiveMessageAsync(WebSocket socket, ArrayBufferWriter<byte> sink, CancellationToken ct)
    {
        while (true)
        {
            var result = await socket.ReceiveAsync(sink.GetMemory(16 * 1024), ct).ConfigureAwait(false);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                return WebSocketMessageType.Close;
            }

            sink.Advance(result.Count);
            if (result.EndOfMessage)
            {
                return result.MessageType;
            }
        }
    }
}
