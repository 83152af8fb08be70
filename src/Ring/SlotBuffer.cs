using System.Buffers;

namespace GatewayProxy.Ring;

/// <summary>A slot's growable payload buffer: writes go to an inline array allocated once; larger payloads move to a
/// pooled overflow array that <see cref="Reset"/> returns, so a slot never keeps a multi-megabyte payload's memory.</summary>
/// <remarks>Seqlock readers may read it while the producer rewrites it: the accessors never throw on a torn state
/// (they clamp), and the reader's stamp validation rejects whatever it copied.</remarks>
public sealed class SlotBuffer : IBufferWriter<byte>
{
    /// <summary>Default inline capacity (4 KiB): most gateway dispatches fit.</summary>
    public const int DefaultInlineCapacity = 4096;

    private readonly byte[] _inline;
    private byte[]? _overflow;
    private int _count;

    /// <summary>Creates a buffer with <paramref name="inlineCapacity"/> bytes preallocated.</summary>
    public SlotBuffer(int inlineCapacity = DefaultInlineCapacity)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(inlineCapacity);
        _inline = new byte[inlineCapacity];
    }

    /// <summary>Bytes written since the last <see cref="Reset"/>.</summary>
    public int WrittenCount => _count;

    /// <summary>The inline (never released) capacity.</summary>
    public int InlineCapacity => _inline.Length;

    /// <summary>The current capacity: inline, or the overflow array's length.</summary>
    public int Capacity => (_overflow ?? _inline).Length;

    /// <summary>True while the payload lives in a pooled overflow array.</summary>
    public bool HasOverflow => _overflow is not null;

    /// <summary>The bytes written, contiguous.</summary>
    public ReadOnlySpan<byte> WrittenSpan
    {
        get
        {
            byte[] buffer = _overflow ?? _inline;
            return new ReadOnlySpan<byte>(buffer, 0, (int)Math.Min((uint)_count, (uint)buffer.Length));
        }
    }

    /// <summary>The bytes written, contiguous, as memory (valid until the next write or reset).</summary>
    public ReadOnlyMemory<byte> WrittenMemory
    {
        get
        {
            byte[] buffer = _overflow ?? _inline;
            return new ReadOnlyMemory<byte>(buffer, 0, (int)Math.Min((uint)_count, (uint)buffer.Length));
        }
    }

    /// <summary>Empties the buffer and returns any overflow array to the pool.</summary>
    public void Reset()
    {
        _count = 0;
        byte[]? overflow = _overflow;
        if (overflow is not null)
        {
            _overflow = null;
            ArrayPool<byte>.Shared.Return(overflow);
        }
    }

    /// <summary>Appends <paramref name="data"/>.</summary>
    public void Write(ReadOnlySpan<byte> data)
    {
        data.CopyTo(GetSpan(data.Length));
        _count += data.Length;
    }

    /// <inheritdoc/>
    public void Advance(int count)
    {
        if ((uint)count > (uint)(Capacity - _count)) throw new ArgumentOutOfRangeException(nameof(count));
        _count += count;
    }

    /// <inheritdoc/>
    public Memory<byte> GetMemory(int sizeHint = 0)
    {
        EnsureFree(sizeHint);
        return (_overflow ?? _inline).AsMemory(_count);
    }

    /// <inheritdoc/>
    public Span<byte> GetSpan(int sizeHint = 0)
    {
        EnsureFree(sizeHint);
        return (_overflow ?? _inline).AsSpan(_count);
    }

    private void EnsureFree(int sizeHint)
    {
        int need = Math.Max(sizeHint, 1);
        if (Capacity - _count < need) Grow(need);
    }

    private void Grow(int need)
    {
        long wanted = Math.Max((long)_count + need, Math.Max(2L * Capacity, 256));
        int size = (int)Math.Min(wanted, Array.MaxLength);
        if (size - _count < need) throw new InsufficientMemoryException("SlotBuffer cannot grow past Array.MaxLength.");
        byte[] bigger = ArrayPool<byte>.Shared.Rent(size);
        WrittenSpan.CopyTo(bigger);
        byte[]? old = _overflow;
        _overflow = bigger;
        if (old is not null) ArrayPool<byte>.Shared.Return(old);
    }
}
