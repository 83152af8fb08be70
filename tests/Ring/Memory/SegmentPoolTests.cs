using System.Buffers;
using System.IO.Pipelines;
using GatewayProxy.Ring.Memory;
using Xunit;

namespace GatewayProxy.Tests.Ring.Memory;

/// <summary>The socket pipes' block pool: reuse, its bound, a double dispose, and a pipe that holds more blocks than
/// the shared array pool keeps allocating nothing once warm.</summary>
public sealed class SegmentPoolTests
{
    [Fact]
    public void A_returned_block_is_handed_out_again()
    {
        var pool = new SegmentPool(4096, 8);
        IMemoryOwner<byte> first = pool.Rent(100);
        Memory<byte> memory = first.Memory;
        Assert.Equal(4096, memory.Length);
        first.Dispose();

        IMemoryOwner<byte> second = pool.Rent();
        Assert.True(second.Memory.Span == memory.Span, "the same block was expected back");
        Assert.Equal(1, pool.Allocated);
    }

    [Fact]
    public void Keeps_at_most_its_bound_and_allocates_past_it()
    {
        var pool = new SegmentPool(1024, 3);
        var rented = new List<IMemoryOwner<byte>>();
        for (int i = 0; i < 5; i++) rented.Add(pool.Rent());
        foreach (IMemoryOwner<byte> owner in rented) owner.Dispose();

        Assert.Equal(3, pool.Retained);
        for (int i = 0; i < 5; i++) pool.Rent();
        Assert.Equal(0, pool.Retained);
        Assert.Equal(7, pool.Allocated);
    }

    [Fact]
    public void A_second_dispose_does_not_return_the_block_twice()
    {
        var pool = new SegmentPool(1024, 8);
        IMemoryOwner<byte> owner = pool.Rent();
        owner.Dispose();
        owner.Dispose();
        Assert.Equal(1, pool.Retained);

        IMemoryOwner<byte> a = pool.Rent();
        IMemoryOwner<byte> b = pool.Rent();
        Assert.False(a.Memory.Span == b.Memory.Span, "one block was handed out twice");
    }

    [Fact]
    public void A_disposed_block_no_longer_gives_its_memory()
    {
        var pool = new SegmentPool(1024, 8);
        IMemoryOwner<byte> owner = pool.Rent();
        owner.Dispose();
        Assert.Throws<ObjectDisposedException>(() => owner.Memory);
    }

    [Fact]
    public void Renting_more_than_a_block_is_refused_with_the_block_size()
    {
        var pool = new SegmentPool(1024, 8);
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => pool.Rent(1025));
        Assert.Contains("1024 bytes", e.Message);
    }

    // 200 blocks outstanding at once: above the shared array pool's 32 per core (what a pipe without a pool uses), below
    // the pipe's own cache of 256 segment objects. Filled and drained on this thread, so the pipe's continuations do
    // not run elsewhere.
    [Fact]
    public async Task A_pipe_filling_and_draining_200_blocks_allocates_nothing_once_warm()
    {
        var pool = new SegmentPool(SegmentPool.DefaultBlockSize, SegmentPool.DefaultMaxRetained);
        var pipe = new Pipe(new PipeOptions(pool: pool, readerScheduler: PipeScheduler.Inline, writerScheduler: PipeScheduler.Inline,
            pauseWriterThreshold: 0, minimumSegmentSize: SegmentPool.DefaultBlockSize, useSynchronizationContext: false));

        await FillAndDrainAsync(pipe, 200);
        await FillAndDrainAsync(pipe, 200);
        long allocatedBlocks = pool.Allocated;

        long before = GC.GetAllocatedBytesForCurrentThread();
        await FillAndDrainAsync(pipe, 200);
        long bytes = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(allocatedBlocks, pool.Allocated);
        Assert.True(bytes < 1024, $"a warm fill-and-drain of 200 blocks allocated {bytes} B");
    }

    private static async ValueTask FillAndDrainAsync(Pipe pipe, int blocks)
    {
        for (int i = 0; i < blocks; i++)
        {
            Memory<byte> memory = pipe.Writer.GetMemory(SegmentPool.DefaultBlockSize);
            memory.Span[0] = (byte)i;
            pipe.Writer.Advance(SegmentPool.DefaultBlockSize);
        }

        await pipe.Writer.FlushAsync();
        ReadResult result = await pipe.Reader.ReadAsync();
        Assert.Equal((long)blocks * SegmentPool.DefaultBlockSize, result.Buffer.Length);
        pipe.Reader.AdvanceTo(result.Buffer.End);
    }
}
