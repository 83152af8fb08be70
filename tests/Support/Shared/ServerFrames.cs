using System.Buffers;
using GatewayProxy.Protocol.Compression;
using GatewayProxy.Protocol.WebSockets;

namespace GatewayProxy.Tooling;

/// <summary>A stream of server frames as Discord sends them: unmasked, one compression context for the whole stream.</summary>
/// <remarks>Shared by the tests and perf's ingress benchmark (perf links this file).</remarks>
internal static class ServerFrames
{
    /// <summary>Frames for <paramref name="payloads"/>: text when uncompressed, one compressed binary message each otherwise.</summary>
    public static byte[] Build(TransportCompression compression, IEnumerable<byte[]> payloads)
    {
        var output = new ArrayBufferWriter<byte>();
        using IMessageEncoder? encoder = MessageCodecs.CreateEncoder(compression);
        var compressed = new ArrayBufferWriter<byte>();
        foreach (byte[] payload in payloads)
        {
            if (encoder is null)
            {
                WebSocketFrameWriter.WriteFrame(output, WebSocketOpcode.Text, payload);
                continue;
            }

            compressed.ResetWrittenCount();
            encoder.Encode(payload, compressed);
            WebSocketFrameWriter.WriteFrame(output, WebSocketOpcode.Binary, compressed.WrittenSpan);
        }

        return output.WrittenSpan.ToArray();
    }
}
