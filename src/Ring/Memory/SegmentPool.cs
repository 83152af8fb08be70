using System.Buffers;
using System.Runtime.CompilerServices;

namespace GatewayProxy.Ring.Memory;

/// <summary>
/// A memory pool of fixed-size, pinned blocks for the socket pipes (<c>PipeOptions.Pool</c>) and the rings' byte logs,
/// which keeps every block returned to it, up to a bound.
/// </summary>
/// <remarks>
/// Why not <c>ArrayPool&lt;byte&gt;.Shared</c> (what a pipe uses without a pool): it keeps at most 32 arrays of a size per
/// core (plus one per thread). A shard whose ring is full keeps receiving into its pipe, up to the pause threshold
/// (64 blocks of 64 KiB), and a slow client's send pipe holds up to 16. When a few of them drain at once, most of their
/// blocks are dropped to the GC and allocated again on the next burst: 64 KiB per block, measured as most of the bytes a
/// 4-shard, 1-client run allocated. Blocks here are pinned (the pinned object heap) because sockets pin them for every
/// receive and send anyway. A block returned beyond the bound is left to the GC, so a one-off burst does not keep its
/// memory forever.
/// </remarks>
public sealed class SegmentPool : MemoryPool<byte>
{
    /// <summary>Block size of <see cref="Sockets"/>: the pipes' segment size for upstream receives and client sends.</summary>
    public const int DefaultBlockSize = 64 * 1024;

    /// <summary>Blocks <see cref="Sockets"/> keeps (64 MiB): far above what the pipes hold in steady state.</summary>
    public const int DefaultMaxRetained = 1024;

    /// <summary>Blocks <see cref="Rings"/> keeps (16 MiB): trims free blocks about as fast as writers take them, so
    /// little more than a burst's worth waits here.</summary>
    public const int RingsMaxRetained = 256;

    private readonly Lock _lock = new();
    private readonly Block?[] _free;
    private int _count;
    private long _allocated;

    /// <summary>The process-wide pool the socket pipes share.</summary>
    public static SegmentPool Sockets { get; } = new(DefaultBlockSize, DefaultMaxRetained);

    /// <summary>The process-wide pool every shard's ring byte log is built from (docs/architecture.md, "Ring memory").</summary>
    public static SegmentPool Rings { get; } = new(DefaultBlockSize, RingsMaxRetained);

    /// <summary>Creates a pool of <paramref name="blockSize"/>-byte blocks keeping at most <paramref name="maxRetained"/> returned ones.</summary>
    public SegmentPool(int blockSize, int maxRetained)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(blockSize, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(maxRetained);
        BlockSize = blockSize;
        _free = new Block?[maxRetained];
    }

    /// <summary>Size of every block, in bytes.</summary>
    public int BlockSize { get; }

    /// <inheritdoc/>
    public override int MaxBufferSize => BlockSize;

    /// <summary>Returned blocks kept for reuse now.</summary>
    public int Retained => Volatile.Read(ref _count);

    /// <summary>Blocks allocated since the pool was created (a block reused is not counted again).</summary>
    public long Allocated => Interlocked.Read(ref _allocated);

    /// <summary>Rents one block; <paramref name="minBufferSize"/> (-1 = any) must not exceed <see cref="BlockSize"/>.</summary>
    public override IMemoryOwner<byte> Rent(int minBufferSize = -1)
    {
        if (minBufferSize > BlockSize)
        {
            ThrowTooLarge(minBufferSize);
        }

        Block? block = null;
        lock (_lock)
        {
            if (_count > 0)
            {
                block = _free[--_count];
                _free[_count] = null;
            }
        }

        block ??= NewBlock();
        block.MarkRented();
        return block;
    }

    /// <summary>Drops every retained block to the GC (the memory guard, when the heap nears its limit: a block waiting
    /// here is heap the GC cannot reclaim); returns how many bytes were let go.</summary>
    public long TrimRetained()
    {
        int dropped;
        lock (_lock)
        {
            dropped = _count;
            Array.Clear(_free, 0, _count);
            _count = 0;
        }

        return (long)dropped * BlockSize;
    }

    /// <inheritdoc/>
    protected override void Dispose(bool disposing)
    {
        // The shared pool lives as long as the process; a private pool simply drops its blocks to the GC.
    }

    private void Return(Block block)
    {
        lock (_lock)
        {
            if (_count < _free.Length)
            {
                _free[_count++] = block;
            }
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private Block NewBlock()
    {
        Interlocked.Increment(ref _allocated);
        return new Block(this, GC.AllocateUninitializedArray<byte>(BlockSize, pinned: true));
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void ThrowTooLarge(int size) =>
        throw new ArgumentOutOfRangeException(nameof(size), size, $"this pool's blocks are {BlockSize} bytes");

    /// <summary>One pooled block; disposing it returns it once (a second dispose does nothing, so it is never handed out twice).</summary>
    private sealed class Block(SegmentPool pool, byte[] array) : IMemoryOwner<byte>
    {
        private int _rented;

        public Memory<byte> Memory => Volatile.Read(ref _rented) == 1 ? array : throw new ObjectDisposedException(nameof(SegmentPool));

        public void MarkRented() => Volatile.Write(ref _rented, 1);

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _rented, 0) == 1)
            {
                pool.Return(this);
            }
        }
    }
}
