using System.Buffers;

namespace GatewayProxy.Protocol.WebSockets;

/// <summary>
/// Incremental RFC 6455 reader for one connection: consumes frames from a byte sequence, unmasks data payload
/// straight into a caller's sink (no intermediate copy) and reports whole messages and control frames.
/// </summary>
/// <remarks>
/// Payload bytes are streamed into the sink as they arrive (a frame may be half in the sink), but Message is
/// reported only once the final fragment is complete. A frame header is consumed only once all of it (≤ 14 bytes)
/// is available. Non-minimal length encodings are accepted unless <see cref="RejectNonMinimalLengths"/> is set:
/// RFC 6455 puts the "minimal" rule on senders only, and parsing a longer encoding is harmless, so rejecting it would
/// only break some odd client for no safety gain.
/// </remarks>
public sealed partial class WebSocketMessageReader
{
    private readonly WebSocketRole _role;
    private readonly int _maxMessageSize;
    private readonly bool _validateUtf8;
    private readonly byte[] _control = new byte[WebSocketFrameWriter.MaxControlPayload];

    // Current frame (valid while _inFrame).
    private bool _inFrame;
    private bool _frameFin;
    private bool _frameMasked;
    private WebSocketOpcode _frameOpcode;
    private uint _maskKey;
    private long _frameRemaining;
    private long _framePosition;

    // Current data message (fragments accumulate across frames and calls).
    private bool _inMessage;
    private bool _messageDone;
    private WebSocketOpcode _messageOpcode;
    private long _messageLength;
    private bool _messageNeedsUtf8;
    private Utf8StreamValidator _utf8;

    private WebSocketOpcode _controlOpcode;
    private int _controlLength;
    private WebSocketError _error;

    /// <summary>Creates a reader for one connection end; <paramref name="maxMessageSize"/> bounds a whole (reassembled) message.</summary>
    public WebSocketMessageReader(WebSocketRole role, int maxMessageSize, bool validateUtf8 = true)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxMessageSize);
        _role = role;
        _maxMessageSize = maxMessageSize;
        _validateUtf8 = validateUtf8;
    }

    /// <summary>When true, a 16/64-bit length that fits a shorter encoding is an error (NonMinimalLength). Default false (lenient).</summary>
    public bool RejectNonMinimalLengths { get; set; }

    /// <summary>Role this reader was made for.</summary>
    public WebSocketRole Role => _role;

    /// <summary>Largest accepted message, all fragments together.</summary>
    public int MaxMessageSize => _maxMessageSize;

    /// <summary>Text or Binary: the type of the message last reported (or in progress).</summary>
    public WebSocketOpcode MessageOpcode => _messageOpcode;

    /// <summary>Payload bytes written to the sink for the message last reported (or in progress).</summary>
    public long MessageLength => _messageLength;

    /// <summary>True while a fragmented message has started and its final fragment is not complete.</summary>
    public bool IsInMessage => _inMessage;

    /// <summary>Opcode of the control frame last reported.</summary>
    public WebSocketOpcode ControlOpcode => _controlOpcode;

    /// <summary>Unmasked payload of the control frame last reported; reader-owned, valid until the next call.</summary>
    public ReadOnlySpan<byte> ControlPayload => _control.AsSpan(0, _controlLength);

    /// <summary>The protocol error, once TryRead returned Error (the reader stays dead until Reset).</summary>
    public WebSocketError Error => _error;

    /// <summary>Forgets every state (including an error) so the reader can serve a new connection.</summary>
    public void Reset()
    {
        _inFrame = false;
        _frameFin = false;
        _frameMasked = false;
        _frameOpcode = WebSocketOpcode.Continuation;
        _maskKey = 0;
        _frameRemaining = 0;
        _framePosition = 0;
        _inMessage = false;
        _messageDone = false;
        _messageOpcode = WebSocketOpcode.Continuation;
        _messageLength = 0;
        _messageNeedsUtf8 = false;
        _utf8.Reset();
        _controlOpcode = WebSocketOpcode.Continuation;
        _controlLength = 0;
        _error = WebSocketError.None;
    }

    /// <summary>
    /// Consumes as much of <paramref name="input"/> as forms frames (advancing it), unmasking data payload into
    /// <paramref name="messageSink"/>; returns at the first complete message, control frame or error, or when the input runs out.
    /// </summary>
    public WebSocketReadStatus TryRead(ref ReadOnlySequence<byte> input, IBufferWriter<byte> messageSink)
    {
        if (_error != WebSocketError.None)
        {
            return WebSocketReadStatus.Error;
        }

        if (_messageDone)
        {
            // The previous call reported a message: its opcode and length stayed readable until now.
            _messageDone = false;
            _messageLength = 0;
        }

        _controlLength = 0;
        var reader = new SequenceReader<byte>(input);
        WebSocketReadStatus status = Run(ref reader, messageSink);
        input = input.Slice(reader.Position);
        return status;
    }

    private WebSocketReadStatus Run(ref SequenceReader<byte> reader, IBufferWriter<byte> sink)
    {
        while (true)
        {
            if (!_inFrame)
            {
                if (!TryReadHeader(ref reader))
                {
                    return _error != WebSocketError.None ? WebSocketReadStatus.Error : WebSocketReadStatus.NeedMoreData;
                }
            }

            if ((byte)_frameOpcode >= 8)
            {
                return ReadControlPayload(ref reader);
            }

            if (!ReadDataPayload(ref reader, sink))
            {
                return _error != WebSocketError.None ? WebSocketReadStatus.Error : WebSocketReadStatus.NeedMoreData;
            }

            _inFrame = false;
            if (_frameFin)
            {
                if (_messageNeedsUtf8 && !_utf8.IsComplete)
                {
                    return Fail(WebSocketError.InvalidUtf8);
                }

                _inMessage = false;
                _messageDone = true;
                return WebSocketReadStatus.Message;
            }
        }
    }

    /// <summary>Streams the available part of a data frame into the sink; true once the frame's payload is complete.</summary>
    private bool ReadDataPayload(ref SequenceReader<byte> reader, IBufferWriter<byte> sink)
    {
        while (_frameRemaining > 0)
        {
            ReadOnlySpan<byte> available = reader.UnreadSpan;
            if (available.IsEmpty)
            {
                // SequenceReader skips empty segments, so an empty unread span means the input is exhausted.
                return false;
            }

            int count = (int)Math.Min(available.Length, _frameRemaining);
            Span<byte> destination = sink.GetSpan(count);
            count = Math.Min(count, destination.Length);
            destination = destination[..count];
            if (_frameMasked)
            {
                WebSocketMasking.MaskCopy(available[..count], destination, _maskKey, (int)(_framePosition & 3));
            }
            else
            {
                available[..count].CopyTo(destination);
            }

            if (_messageNeedsUtf8 && !_utf8.Append(destination))
            {
                Fail(WebSocketError.InvalidUtf8);
                return false;
            }

            sink.Advance(count);
            reader.Advance(count);
            _frameRemaining -= count;
            _framePosition += count;
            _messageLength += count;
        }

        return true;
    }

    private WebSocketReadStatus ReadControlPayload(ref SequenceReader<byte> reader)
    {
        // Control payloads (≤ 125 bytes) are gathered in the reader's own buffer, then reported whole.
        int have = (int)_framePosition;
        int want = (int)Math.Min(_frameRemaining, reader.Remaining);
        if (want > 0)
        {
            Span<byte> destination = _control.AsSpan(have, want);
            reader.TryCopyTo(destination);
            reader.Advance(want);
            if (_frameMasked)
            {
                WebSocketMasking.Mask(destination, _maskKey, have);
            }

            _frameRemaining -= want;
            _framePosition += want;
        }

        if (_frameRemaining > 0)
        {
            return WebSocketReadStatus.NeedMoreData;
        }

        _inFrame = false;
        _controlOpcode = _frameOpcode;
        _controlLength = (int)_framePosition;
        if (_frameOpcode == WebSocketOpcode.Close)
        {
            WebSocketError closeError = ValidateClosePayload(ControlPayload);
            if (closeError != WebSocketError.None)
            {
                _controlLength = 0;
                return Fail(closeError);
            }
        }

        return WebSocketReadStatus.Control;
    }

    private WebSocketReadStatus Fail(WebSocketError error)
    {
        _error = error;
        return WebSocketReadStatus.Error;
    }
}
