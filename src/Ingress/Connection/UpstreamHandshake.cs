using System.Buffers;
using System.IO.Pipelines;
using GatewayProxy.Protocol.Http;

namespace GatewayProxy.Ingress.Connection;

/// <summary>The client side of the WebSocket opening handshake over an <see cref="IDuplexPipe"/>.</summary>
public static class UpstreamHandshake
{
    /// <summary>Sends the upgrade request for <paramref name="url"/> and reads the 101; frames that follow stay in the input.</summary>
    /// <exception cref="UpstreamHandshakeException">The server refused or answered something else.</exception>
    public static async Task PerformAsync(IDuplexPipe pipe, Uri url, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(pipe);
        ArgumentNullException.ThrowIfNull(url);
        byte[] request = WebSocketHandshake.BuildClientRequest(GatewayUrl.HostHeader(url), url.PathAndQuery, out string key);
        FlushResult flushed = await pipe.Output.WriteAsync(request, ct).ConfigureAwait(false);
        if (flushed.IsCompleted)
        {
            throw new UpstreamHandshakeException(0, "the connection closed before the upgrade request was sent");
        }

        while (true)
        {
            ReadResult result = await pipe.Input.ReadAsync(ct).ConfigureAwait(false);
            ReadOnlySequence<byte> buffer = result.Buffer;
            HttpParseStatus status = WebSocketHandshake.TryParseClientResponse(buffer, key, out SequencePosition consumed, out int statusCode, out string? reason);
            if (status == HttpParseStatus.Complete)
            {
                pipe.Input.AdvanceTo(consumed);
                return;
            }

            if (status == HttpParseStatus.Invalid)
            {
                pipe.Input.AdvanceTo(buffer.Start);
                throw new UpstreamHandshakeException(statusCode, reason ?? "invalid upgrade response");
            }

            if (result.IsCompleted)
            {
                pipe.Input.AdvanceTo(buffer.End);
                throw new UpstreamHandshakeException(0, "the server closed the connection during the WebSocket handshake");
            }

            pipe.Input.AdvanceTo(buffer.Start, buffer.End);
        }
    }
}
