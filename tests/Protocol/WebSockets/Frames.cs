using System.Buffers;
using GatewayProxy.Protocol.WebSockets;

namespace GatewayProxy.Tests.Protocol.WebSockets;

/// <summary>Small helpers that build frames and drive a reader over them.</summary>
internal static class Frames
{
    public const uint Key = 0x37FA213D;

    /// <summary>A whole frame as written by the frame writer.</summary>
    public static byte[] Build(WebSocketOpcode opcode, ReadOnlySpan<byte> payload, bool fin = true, uint? mask = Key)
    {
        var output = new ArrayBufferWriter<byte>();
        WebSocketFrameWriter.WriteFrame(output, opcode, payload, fin, mask);
        return output.WrittenSpan.ToArray();
    }

    /// <summary>A frame from raw header bytes (after FIN/opcode and length bytes) and a payload masked with <see cref="Key"/> when the mask bit is set.</summary>
    public static byte[] Raw(byte b0, byte b1, ReadOnlySpan<byte> extendedLength, ReadOnlySpan<byte> payload)
    {
        bool masked = (b1 & 0x80) != 0;
        var bytes = new List<byte> { b0, b1 };
        bytes.AddRange(extendedLength.ToArray());
        byte[] body = payload.ToArray();
        if (masked)
        {
            bytes.AddRange([0x37, 0xFA, 0x21, 0x3D]);
            WebSocketMasking.Mask(body, Key);
        }

        bytes.AddRange(body);
        return [.. bytes];
    }

    /// <summary>Runs a reader over the concatenated frames; returns every status until NeedMoreData or Error.</summary>
    public static List<WebSocketReadStatus> ReadAll(WebSocketMessageReader reader, ArrayBufferWriter<byte> sink, params byte[][] frames)
    {
        var input = new ReadOnlySequence<byte>(frames.SelectMany(f => f).ToArray());
        var statuses = new List<WebSocketReadStatus>();
        for (int i = 0; i < 1000; i++)
        {
            WebSocketReadStatus status = reader.TryRead(ref input, sink);
            statuses.Add(status);
            if (status is WebSocketReadStatus.NeedMoreData or WebSocketReadStatus.Error)
            {
                break;
            }
        }

        return statuses;
    }
}
