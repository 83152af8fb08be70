using System.Buffers;

namespace GatewayProxy.Egress.Buffers;

/// <summary>A reusable growable byte buffer backed by <see cref="ArrayPool{T}"/>: scratch space for splicing and compressing.</summary>
/// <remarks>One owner at a time. <see cref="Reset"/> keeps the array for the next use unless it grew past
/// <see cref="RetainLimit"/>, so one multi-megabyte GUILD_CREATE does not pin its memory forever.</remarks>
internal sealed class PooledBufferWriter : IBufferWriter<byte>, IDisposable
{
    /// <summary>Arrays larger than this go back to the pool at <see cref="Reset"/>.</summary>
    public const int RetainLimit = 1 << 20;

    private byte[] _buffer;
    private int _count;

    public PooledBufferWriter(int initialCapacity = 4096) => _buffer = ArrayPool<byte>.Shared.Rent(Math.Max(initialCapacity, 256));

    /// <summary>Bytes written since the last reset.</summary>
    public int WrittenCount => _count;

    /// <summary>The bytes written.</summary>
    public ReadOnlySpan<byte> WrittenSpan => _buffer.AsSpan(0, _count);

    /// <summary>The bytes written, as memory (valid until the next write or reset).</summary>
    public ReadOnlyMemory<byte> WrittenMemory => _buffer.AsMemory(0, _count);

    /// <summary>Forgets the content; gives an oversized array back.</summary>
    public void Reset()
    {
        _count = 0;
        if (_buffer.Length > RetainLimit)
        {
            byte[] big = _buffer;
            _buffer = ArrayPool<byte>.Shared.Rent(4096);
            ArrayPool<byte>.Shared.Return(big);
        }
    }

    public void Advance(int count)
    {
        if ((uint)count > (uint)(_buffer.Length - _count)) throw new ArgumentOutOfRangeException(nameof(count));
        _count += count;
    }

    public Memory<byte> GetMemory(int sizeHint = 0)
    {
        Ensure(sizeHint);
        return _buffer.AsMemory(_count);
    }

    public Span<byte> GetSpan(int sizeHint = 0)
    {
        Ensure(sizeHint);
        return _buffer.AsSpan(_count);
    }

    public void Dispose()
    {
        byte[] buffer = _buffer;
        _buffer = [];
        _count = 0;
        if (buffer.Length > 0) ArrayPool<byte>.Shared.Return(buffer);
    }

    private void Ensure(int sizeHint)
    {
        int need = Math.Max(sizeHint, 1);
        if (_buffer.Length - _count >= need) return;
        long wanted = Math.Max((long)_count + need, 2L * _buffer.Length);
        byte[] bigger = ArrayPool<byte>.Shared.Rent((int)Math.Min(wanted, Array.MaxLength));
        _buffer.AsSpan(0, _count).CopyTo(bigger);
        byte[] old = _buffer;
        _buffer = bigger;
        if (old.Length > 0) ArrayPool<byte>.Shared.Return(old);
    }
}
