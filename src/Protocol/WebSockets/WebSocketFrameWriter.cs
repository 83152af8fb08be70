using System.Buffers;
using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Text.Unicode;

namespace GatewayProxy.Protocol.WebSockets;

/// <summary>Writes RFC 6455 frames: headers alone (so payload spans can follow) or whole frames, masked or not.</summary>
public static class WebSocketFrameWriter
{
    /// <summary>Largest header: 2 bytes + 8-byte length + 4-byte mask key.</summary>
    public const int MaxHeaderSize = 14;

    /// <summary>Largest control frame payload (RFC 6455 §5.5).</summary>
    public const int MaxControlPayload = 125;

    /// <summary>Largest close reason in UTF-8 bytes (125 minus the 2-byte code).</summary>
    public const int MaxCloseReasonBytes = MaxControlPayload - 2;

    // Masked writes go out in pieces of at most this size so a huge payload never asks the writer for one huge span.
    private const int MaskChunk = 64 * 1024;

    /// <summary>Size of the header for this payload length, with or without a mask key.</summary>
    public static int GetHeaderSize(long payloadLength, bool masked) =>
        (payloadLength < 126 ? 2 : payloadLength <= ushort.MaxValue ? 4 : 10) + (masked ? 4 : 0);

    /// <summary>Writes a frame header into <paramref name="destination"/> and returns its size; no mask key means no mask bit (server role).</summary>
    public static int WriteHeader(Span<byte> destination, WebSocketOpcode opcode, bool fin, long payloadLength, uint? maskKey = null)
    {
        ValidateFrame(opcode, fin, payloadLength);
        int size = GetHeaderSize(payloadLength, maskKey.HasValue);
        if (destination.Length < size)
        {
            ThrowDestinationTooShort();
        }

        destination[0] = (byte)((fin ? 0x80 : 0) | (byte)opcode);
        byte maskBit = maskKey.HasValue ? (byte)0x80 : (byte)0;
        int position;
        if (payloadLength < 126)
        {
            destination[1] = (byte)(maskBit | (byte)payloadLength);
            position = 2;
        }
        else if (payloadLength <= ushort.MaxValue)
        {
            destination[1] = (byte)(maskBit | 126);
            BinaryPrimitives.WriteUInt16BigEndian(destination[2..], (ushort)payloadLength);
            position = 4;
        }
        else
        {
            destination[1] = (byte)(maskBit | 127);
            BinaryPrimitives.WriteUInt64BigEndian(destination[2..], (ulong)payloadLength);
            position = 10;
        }

        if (maskKey is uint key)
        {
            BinaryPrimitives.WriteUInt32BigEndian(destination[position..], key);
            position += 4;
        }

        return position;
    }

    /// <summary>Writes a frame header to <paramref name="output"/>; the payload is written by the caller.</summary>
    public static void WriteHeader(IBufferWriter<byte> output, WebSocketOpcode opcode, bool fin, long payloadLength, uint? maskKey = null)
    {
        Span<byte> span = output.GetSpan(MaxHeaderSize);
        output.Advance(WriteHeader(span, opcode, fin, payloadLength, maskKey));
    }

    /// <summary>Writes a whole frame; with a mask key the payload is written masked (one vectorized copy), the original left untouched.</summary>
    public static void WriteFrame(IBufferWriter<byte> output, WebSocketOpcode opcode, ReadOnlySpan<byte> payload, bool fin = true, uint? maskKey = null)
    {
        WriteHeader(output, opcode, fin, payload.Length, maskKey);
        if (maskKey is not uint key)
        {
            output.Write(payload);
            return;
        }

        int offset = 0;
        while (offset < payload.Length)
        {
            int want = Math.Min(payload.Length - offset, MaskChunk);
            Span<byte> span = output.GetSpan(want);
            int count = Math.Min(want, span.Length);
            WebSocketMasking.MaskCopy(payload.Slice(offset, count), span, key, offset);
            output.Advance(count);
            offset += count;
        }
    }

    /// <summary>Writes a close frame with a code and a reason, the reason cut to fit 125 bytes on a UTF-8 scalar boundary.</summary>
    public static void WriteClose(IBufferWriter<byte> output, ushort code, string reason, uint? maskKey = null)
    {
        Span<byte> payload = stackalloc byte[MaxControlPayload];
        BinaryPrimitives.WriteUInt16BigEndian(payload, code);
        // FromUtf16 only ever writes whole scalars, so stopping at DestinationTooSmall truncates safely;
        // lone surrogates become U+FFFD so the reason is always valid UTF-8.
        Utf8.FromUtf16(reason ?? string.Empty, payload[2..], out _, out int written, replaceInvalidSequences: true, isFinalBlock: true);
        WriteFrame(output, WebSocketOpcode.Close, payload[..(2 + written)], fin: true, maskKey);
    }

    private static void ValidateFrame(WebSocketOpcode opcode, bool fin, long payloadLength)
    {
        if (payloadLength < 0)
        {
            ThrowArgument("Payload length must not be negative.", nameof(payloadLength));
        }

        if ((byte)opcode >= 8 && (!fin || payloadLength > MaxControlPayload))
        {
            ThrowArgument("Control frames must have FIN set and at most 125 bytes of payload.", nameof(opcode));
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ThrowDestinationTooShort() => throw new ArgumentException("Destination is too short for the frame header.", "destination");

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ThrowArgument(string message, string name) => throw new ArgumentException(message, name);
}
