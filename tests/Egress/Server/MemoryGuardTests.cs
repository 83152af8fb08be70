using GatewayProxy.Egress.Server;
using Xunit;

namespace GatewayProxy.Tests.Egress.Server;

/// <summary>The memory guard's decisions on scripted heap readings: refusing is cheap and reversible, cutting needs a full
/// collection's word, and backlog already cut counts as freed.</summary>
public sealed class MemoryGuardTests
{
    private const long MiB = 1024 * 1024;
    private const long Limit = 100 * MiB;

    [Fact]
    public void A_high_reading_that_a_full_collection_frees_neither_refuses_nor_cuts()
    {
        var probe = new ScriptedProbe { Heap = 95 * MiB, AfterCollect = 40 * MiB };
        MemoryGuard guard = NewGuard(probe);

        Assert.Equal(0, guard.Check(nowMs: 0, pendingRelease: 0));
        Assert.Equal(1, probe.Collections);
        Assert.Equal(MemoryState.Normal, guard.State);
        Assert.False(guard.RefusesClients);
        Assert.Equal(40 * MiB, guard.HeapBytes);
    }

    [Fact]
    public void New_clients_are_refused_from_the_refuse_threshold_until_the_heap_is_below_the_resume_threshold()
    {
        var probe = new ScriptedProbe { Heap = 85 * MiB, AfterCollect = 85 * MiB };
        MemoryGuard guard = NewGuard(probe);

        Assert.Equal(0, guard.Check(0, 0));
        Assert.Equal(MemoryState.Refusing, guard.State);

        // Between the thresholds: still refusing (no flapping), and no collection forced before the recheck interval.
        probe.Heap = 75 * MiB;
        Assert.Equal(0, guard.Check(2_000, 0));
        Assert.Equal(MemoryState.Refusing, guard.State);
        Assert.Equal(1, probe.Collections);

        probe.Heap = 69 * MiB;
        Assert.Equal(0, guard.Check(3_000, 0));
        Assert.Equal(MemoryState.Normal, guard.State);
        Assert.False(guard.RefusesClients);
    }

    [Fact]
    public void Garbage_that_keeps_the_heap_between_the_thresholds_is_rechecked_with_a_full_collection()
    {
        var probe = new ScriptedProbe { Heap = 85 * MiB, AfterCollect = 85 * MiB };
        MemoryGuard guard = NewGuard(probe);
        guard.Check(0, 0);

        probe.Heap = 75 * MiB;
        probe.AfterCollect = 30 * MiB;
        guard.Check(MemoryGuard.RecheckIntervalMs, 0);
        Assert.Equal(2, probe.Collections);
        Assert.Equal(MemoryState.Normal, guard.State);
    }

    [Fact]
    public void A_cut_needs_a_full_collection_and_is_sized_down_to_the_refuse_threshold()
    {
        var probe = new ScriptedProbe { Heap = 96 * MiB, AfterCollect = 95 * MiB };
        MemoryGuard guard = NewGuard(probe);

        Assert.Equal(15 * MiB, guard.Check(0, 0));
        Assert.Equal(MemoryState.Shedding, guard.State);

        // Within the confirm interval no collection can be forced: no second cut on the word of an ordinary GC.
        probe.Heap = 96 * MiB;
        Assert.Equal(0, guard.Check(MemoryGuard.ConfirmIntervalMs - 1, 0));
        Assert.Equal(1, probe.Collections);
        Assert.True(guard.RefusesClients);

        Assert.Equal(15 * MiB, guard.Check(MemoryGuard.ConfirmIntervalMs, 0));
        Assert.Equal(2, probe.Collections);
    }

    [Fact]
    public void Backlog_already_cut_counts_as_freed_so_one_high_reading_does_not_cut_everyone()
    {
        var probe = new ScriptedProbe { Heap = 95 * MiB, AfterCollect = 95 * MiB };
        MemoryGuard guard = NewGuard(probe);
        Assert.Equal(15 * MiB, guard.Check(0, 0));

        // 15 MiB of clients are still closing: the heap has not shrunk yet, but nothing more is cut.
        Assert.Equal(0, guard.Check(5_000, pendingRelease: 15 * MiB));
        Assert.Equal(MemoryState.Refusing, guard.State);

        // Part of it freed, the rest still pending: 95 - 10 = 85 < 90, no cut.
        probe.Heap = probe.AfterCollect = 95 * MiB;
        Assert.Equal(0, guard.Check(10_000, pendingRelease: 10 * MiB));
    }

    [Fact]
    public void With_nothing_to_cut_the_next_forced_collection_waits_for_the_recheck_interval()
    {
        var probe = new ScriptedProbe { Heap = 95 * MiB, AfterCollect = 95 * MiB };
        MemoryGuard guard = NewGuard(probe);
        Assert.True(guard.Check(0, 0) > 0);
        guard.NothingToCut(0);

        Assert.Equal(0, guard.Check(MemoryGuard.ConfirmIntervalMs * 2, 0));
        Assert.Equal(1, probe.Collections);
        Assert.True(guard.Check(MemoryGuard.RecheckIntervalMs, 0) > 0);
        Assert.Equal(2, probe.Collections);
    }

    [Theory]
    [InlineData(0.8, 0.8, 0.7)]
    [InlineData(0.8, 1.0, 0.7)]
    [InlineData(0.8, 0.9, 0.85)]
    [InlineData(0.8, 0.9, 0.0)]
    public void Thresholds_out_of_order_are_refused(double refuse, double shed, double resume) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new MemoryGuard(Limit, refuse, shed, resume, new ScriptedProbe()));

    private static MemoryGuard NewGuard(IHeapProbe probe) => new(Limit, refuseAt: 0.80, shedAt: 0.90, resumeAt: 0.70, probe);

    private sealed class ScriptedProbe : IHeapProbe
    {
        public long Heap { get; set; }

        public long AfterCollect { get; set; }

        public int Collections { get; private set; }

        public long HeapNow() => Heap;

        public long Collect()
        {
            Collections++;
            Heap = AfterCollect;
            return AfterCollect;
        }
    }
}
