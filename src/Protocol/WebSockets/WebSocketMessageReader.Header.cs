using System.Buffers;
using System.Buffers.Binary;

namespace GatewayProxy.Protocol.WebSockets;

/// <summary>Frame header parsing and validation.</summary>
public sealed partial class WebSocketMessageReader
{
    /// <summary>
    /// Parses and consumes one frame header when all of it is available; returns false when more bytes are
    /// needed (nothing consumed) or on a protocol error (_error set). Errors visible in the first two bytes are
    /// reported at once, before the extended length arrives.
    /// </summary>
    private bool TryReadHeader(ref SequenceReader<byte> reader)
    {
        Span<byte> copy = stackalloc byte[WebSocketFrameWriter.MaxHeaderSize];
        scoped ReadOnlySpan<byte> header = reader.UnreadSpan;
        if (header.Length < 2)
        {
            if (reader.Remaining < 2)
            {
                return false;
            }

            reader.TryCopyTo(copy[..2]);
            header = copy[..2];
        }

        byte b0 = header[0];
        byte b1 = header[1];
        if ((b0 & 0x70) != 0)
        {
            return FailHeader(WebSocketError.ReservedBitsSet);
        }

        var opcode = (WebSocketOpcode)(b0 & 0x0F);
        bool fin = (b0 & 0x80) != 0;
        bool masked = (b1 & 0x80) != 0;
        int length7 = b1 & 0x7F;

        WebSocketError error = ValidateFirstBytes(opcode, fin, masked, length7);
        if (error != WebSocketError.None)
        {
            return FailHeader(error);
        }

        int size = 2 + (length7 == 126 ? 2 : length7 == 127 ? 8 : 0) + (masked ? 4 : 0);
        if (header.Length < size)
        {
            if (reader.Remaining < size)
            {
                return false;
            }

            reader.TryCopyTo(copy[..size]);
            header = copy[..size];
        }

        long payloadLength = length7;
        int position = 2;
        if (length7 == 126)
        {
            payloadLength = BinaryPrimitives.ReadUInt16BigEndian(header[2..]);
            position = 4;
            if (payloadLength < 126 && RejectNonMinimalLengths)
            {
                return FailHeader(WebSocketError.NonMinimalLength);
            }
        }
        else if (length7 == 127)
        {
            ulong length64 = BinaryPrimitives.ReadUInt64BigEndian(header[2..]);
            position = 10;
            if ((length64 & (1UL << 63)) != 0)
            {
                return FailHeader(WebSocketError.LengthTooLarge);
            }

            if (length64 <= ushort.MaxValue && RejectNonMinimalLengths)
            {
                return FailHeader(WebSocketError.NonMinimalLength);
            }

            payloadLength = (long)length64;
        }

        bool isData = (byte)opcode < 8;
        if (isData && payloadLength > _maxMessageSize - (opcode == WebSocketOpcode.Continuation ? _messageLength : 0))
        {
            // Checked before any payload arrives, so a huge declared length never reaches the sink.
            return FailHeader(WebSocketError.MessageTooBig);
        }

        _maskKey = masked ? BinaryPrimitives.ReadUInt32BigEndian(header[position..]) : 0;
        reader.Advance(size);

        _inFrame = true;
        _frameFin = fin;
        _frameMasked = masked;
        _frameOpcode = opcode;
        _frameRemaining = payloadLength;
        _framePosition = 0;

        if (isData && opcode != WebSocketOpcode.Continuation)
        {
            _inMessage = true;
            _messageOpcode = opcode;
            _messageLength = 0;
            _messageNeedsUtf8 = _validateUtf8 && opcode == WebSocketOpcode.Text;
            _utf8.Reset();
        }

        return true;
    }

    private WebSocketError ValidateFirstBytes(WebSocketOpcode opcode, bool fin, bool masked, int length7)
    {
        switch (opcode)
        {
            case WebSocketOpcode.Continuation:
                if (!_inMessage)
                {
                    return WebSocketError.UnexpectedContinuation;
                }

                break;
            case WebSocketOpcode.Text:
            case WebSocketOpcode.Binary:
                if (_inMessage)
                {
                    return WebSocketError.ExpectedContinuation;
                }

                break;
            case WebSocketOpcode.Close:
            case WebSocketOpcode.Ping:
            case WebSocketOpcode.Pong:
                if (!fin)
                {
                    return WebSocketError.FragmentedControlFrame;
                }

                if (length7 > WebSocketFrameWriter.MaxControlPayload)
                {
                    return WebSocketError.ControlFrameTooLong;
                }

                break;
            default:
                return WebSocketError.ReservedOpcode;
        }

        if (_role == WebSocketRole.Server && !masked)
        {
            return WebSocketError.UnmaskedClientFrame;
        }

        if (_role == WebSocketRole.Client && masked)
        {
            return WebSocketError.MaskedServerFrame;
        }

        return WebSocketError.None;
    }

    private bool FailHeader(WebSocketError error)
    {
        _error = error;
        return false;
    }
}
