using System.Buffers.Text;
using System.Diagnostics;

namespace GatewayProxy.Perf.EndToEnd;

/// <summary>A merged client (one virtual shard over every upstream shard): its live events interleave the upstream
/// shards' streams, so each event is matched to the stream whose next event it is, and each stream is checked in its own
/// order (a guild lives on one upstream shard, so per-shard order is per-guild order); <c>s</c> is +1 across all of them.</summary>
internal sealed partial class LoadClient
{
    private readonly ExpectedStream[]? _lanes;
    private readonly FlowGate[]? _laneGates;
    private readonly long[]? _laneReceived;

    /// <summary>Live events received from upstream shard <paramref name="lane"/> (a merged client).</summary>
    public long LaneReceived(int lane) => Volatile.Read(ref _laneReceived![lane]);

    /// <summary>How many upstream shards' streams this client reads (1 unless merged).</summary>
    public int LaneCount => _lanes?.Length ?? 1;

    private void NotifyGates()
    {
        if (_laneGates is null)
        {
            _gate.Notify();
            return;
        }

        foreach (var gate in _laneGates)
        {
            gate.Notify();
        }
    }

    private void OnLiveMerged(ReadOnlySpan<byte> payload)
    {
        var lanes = _lanes!;
        var received = _laneReceived!;
        for (var lane = 0; lane < lanes.Length; lane++)
        {
            var expected = lanes[lane];
            var k = received[lane];
            var index = (int)(k % expected.Pool.Count);
            var prefix = expected.Prefixes[index];
            if (!payload.StartsWith(prefix)
                || !Utf8Parser.TryParse(payload[prefix.Length..], out long seq, out var digits)
                || !payload[(prefix.Length + digits)..].SequenceEqual(expected.Suffixes[index]))
            {
                continue;
            }

            if (seq != _lastSeq + 1)
            {
                Fail($"live event from shard {lane}: s = {seq} after {_lastSeq} (lost, duplicated or misordered)");
                return;
            }

            var now = Stopwatch.GetTimestamp();
            if (k >= MeasureFrom && k < expected.SendStamps.Length)
            {
                Latency.Record((now - expected.SendStamps[k]) * 1_000_000 / Stopwatch.Frequency);
            }

            Volatile.Write(ref _lastSeq, seq);
            Volatile.Write(ref _lastLiveStamp, now);
            Volatile.Write(ref received[lane], k + 1);
            Volatile.Write(ref _liveReceived, _liveReceived + 1);
            return;
        }

        Fail($"live event {_liveReceived}: not the next event of any upstream shard (lost, duplicated, misordered or altered): {Snippet(payload)}");
    }
}
