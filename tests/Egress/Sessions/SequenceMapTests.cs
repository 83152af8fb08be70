using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using GatewayProxy.Egress.Sessions;
using Xunit;

namespace GatewayProxy.Tests.Egress.Sessions;

public sealed class SequenceMapTests
{
    [Fact]
    public void Skipped_and_crafted_payloads_map_to_the_position_they_followed()
    {
        var map = new SequenceMap();
        map.Reset(clientSeq: 5, ringPosition: 100); // READY + 4 guilds, snapshot at 100
        map.Record(6, 101);
        map.Record(7, 103); // 102 skipped (someone else's member chunk)
        map.Record(8, 103); // RESUMED after a replay that ended at 103
        map.Record(9, 104);
        Assert.True(map.TryGetRingPosition(5, 9, out long p5));
        Assert.True(map.TryGetRingPosition(6, 9, out long p6));
        Assert.True(map.TryGetRingPosition(7, 9, out long p7));
        Assert.True(map.TryGetRingPosition(8, 9, out long p8));
        Assert.True(map.TryGetRingPosition(9, 9, out long p9));
        Assert.Equal((100L, 101L, 103L, 103L, 104L), (p5, p6, p7, p8, p9));
        Assert.False(map.TryGetRingPosition(4, 9, out _));
        Assert.False(map.TryGetRingPosition(10, 9, out _));
    }

    /// <summary>Model: every delivered client seq remembers the ring position it came after; the map must agree for all.</summary>
    [Property(MaxTest = 1000)]
    public bool Lookup_matches_a_full_model_for_any_mix_of_relayed_skipped_and_crafted_payloads(byte[] steps, byte burst)
    {
        var map = new SequenceMap();
        long seq = 1 + (burst % 50);
        long ring = 10;
        map.Reset(seq, ring);
        var model = new Dictionary<long, long> { [seq] = ring };
        foreach (byte step in steps ?? [])
        {
            switch (step % 4)
            {
                case 0: // skipped ring event
                    ring++;
                    break;
                case 3: // crafted payload (RESUMED) after the current position
                    seq++;
                    map.Record(seq, ring);
                    model[seq] = ring;
                    break;
                default: // relayed ring event
                    ring++;
                    seq++;
                    map.Record(seq, ring);
                    model[seq] = ring;
                    break;
            }
        }

        foreach ((long clientSeq, long position) in model)
        {
            if (!map.TryGetRingPosition(clientSeq, seq, out long found) || found != position) return false;
        }

        return !map.TryGetRingPosition(seq + 1, seq, out _);
    }

    [Fact]
    public void Truncate_and_prune_keep_what_a_resume_can_still_use()
    {
        var map = new SequenceMap();
        map.Reset(3, 0);
        for (long i = 1; i <= 100; i++) map.Record(3 + (2 * i), 3 * i); // offset changes every time: one anchor each
        map.TruncateAfter(50);
        Assert.True(map.TryGetRingPosition(49, 50, out long p49));
        Assert.Equal(69, p49);
        map.Prune(60);
        Assert.True(map.TryGetRingPosition(45, 50, out long p45));
        Assert.Equal(63, p45);
        Assert.False(map.TryGetRingPosition(3, 50, out _));
    }
    /// <summary>A virtual-shard session: two rings share one client sequence, each with its own map. A RESUME from any client
    /// seq restarts each ring right after its last event sent at or before that seq (skips after it are read again, and
    /// skipped again: the filter is deterministic).</summary>
    [Property(MaxTest = 1000)]
    public bool Interleaved_lanes_each_restart_after_their_last_event_sent_by_that_seq(byte[] steps, byte burst)
    {
        var maps = new[] { new SequenceMap(), new SequenceMap() };
        long seq = 1 + (burst % 50);
        long[] ring = [10, 500];
        long[] lastSent = [10, 500];
        maps[0].Reset(seq, ring[0]);
        maps[1].Reset(seq, ring[1]);
        var model = new[] { new Dictionary<long, long> { [seq] = ring[0] }, new Dictionary<long, long> { [seq] = ring[1] } };
        foreach (byte step in steps ?? [])
        {
            int lane = step & 1;
            ring[lane]++;
            if ((step >> 1) % 3 == 0) continue; // a skipped event of that ring
            seq++;
            maps[lane].Record(seq, ring[lane]);
            lastSent[lane] = ring[lane];
            model[0][seq] = lastSent[0];
            model[1][seq] = lastSent[1];
        }

        for (int lane = 0; lane < 2; lane++)
        {
            foreach ((long clientSeq, long position) in model[lane])
            {
                if (!maps[lane].TryGetRingPosition(clientSeq, seq, out long found) || found != position) return false;
            }
        }

        return true;
    }
}
