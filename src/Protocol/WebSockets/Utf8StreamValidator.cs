using System.Buffers;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Unicode;

namespace GatewayProxy.Protocol.WebSockets;

/// <summary>
/// Validates UTF-8 that arrives in arbitrary pieces (fragments, network segments), failing as soon as a byte
/// cannot be part of valid UTF-8. Holds the up-to-3-byte prefix of a scalar split across pieces.
/// </summary>
internal struct Utf8StreamValidator
{
    private uint _pending;      // bytes of an incomplete scalar, first byte lowest
    private int _pendingCount;

    /// <summary>Forgets any pending partial scalar (start of a new message).</summary>
    public void Reset()
    {
        _pending = 0;
        _pendingCount = 0;
    }

    /// <summary>True when no partial scalar is pending, i.e. the bytes so far end on a scalar boundary.</summary>
    public readonly bool IsComplete => _pendingCount == 0;

    /// <summary>Feeds the next piece; false when the bytes so far cannot be the start of valid UTF-8.</summary>
    public bool Append(ReadOnlySpan<byte> piece)
    {
        if (_pendingCount != 0)
        {
            if (!CompletePending(ref piece))
            {
                return false;
            }

            if (piece.IsEmpty)
            {
                return true;
            }
        }

        // Fast path: the piece is valid by itself (the usual case for whole ASCII/JSON payloads).
        return Utf8.IsValid(piece) || AppendWithTail(piece);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private bool AppendWithTail(ReadOnlySpan<byte> piece)
    {
        // Invalid as a whole: acceptable only if it is valid up to a truncated (but so far valid) last scalar.
        int tailStart = -1;
        int lookBack = Math.Min(3, piece.Length);
        for (int k = 1; k <= lookBack; k++)
        {
            if ((piece[^k] & 0xC0) != 0x80)
            {
                tailStart = piece.Length - k;
                break;
            }
        }

        if (tailStart < 0 || piece[tailStart] < 0x80)
        {
            return false;
        }

        ReadOnlySpan<byte> tail = piece[tailStart..];
        if (Rune.DecodeFromUtf8(tail, out _, out _) != OperationStatus.NeedMoreData || !Utf8.IsValid(piece[..tailStart]))
        {
            return false;
        }

        Store(tail);
        return true;
    }

    private bool CompletePending(ref ReadOnlySpan<byte> piece)
    {
        Span<byte> scalar = stackalloc byte[4];
        int have = _pendingCount;
        for (int j = 0; j < have; j++)
        {
            scalar[j] = (byte)(_pending >> (8 * j));
        }

        int take = Math.Min(4 - have, piece.Length);
        piece[..take].CopyTo(scalar[have..]);
        OperationStatus status = Rune.DecodeFromUtf8(scalar[..(have + take)], out _, out int consumed);
        if (status == OperationStatus.Done)
        {
            piece = piece[(consumed - have)..];
            Reset();
            return true;
        }

        if (status == OperationStatus.NeedMoreData)
        {
            // Only possible when the piece ran out before the scalar did.
            Store(scalar[..(have + take)]);
            piece = [];
            return true;
        }

        return false;
    }

    private void Store(ReadOnlySpan<byte> bytes)
    {
        _pending = 0;
        for (int j = 0; j < bytes.Length; j++)
        {
            _pending |= (uint)bytes[j] << (8 * j);
        }

        _pendingCount = bytes.Length;
    }
}
