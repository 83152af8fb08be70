using System.Diagnostics;

namespace GatewayProxy.Perf.EndToEnd;

/// <summary>The firehose and the measured window.</summary>
internal sealed partial class ScenarioRunner
{
    private async Task<RunResult> MeasureAsync(string name)
    {
        var s = _scenario;
        foreach (var client in _clients)
        {
            client.MeasureFrom = s.WarmupEvents;
        }

        await FirehoseAsync(0, s.WarmupEvents).ConfigureAwait(false);
        var before = await _target!.ReadStatsAsync().ConfigureAwait(false);
        long bytesBefore = 0;
        foreach (var client in _clients)
        {
            bytesBefore += client.WireBytes;
        }

        var start = Now();
        await FirehoseAsync(s.WarmupEvents, s.WarmupEvents + s.MeasuredEvents).ConfigureAwait(false);
        var after = await _target.ReadStatsAsync().ConfigureAwait(false);

        long bytesAfter = 0;
        long lanes = 0;
        long end = start;
        var latency = new LatencyHistogram();
        foreach (var client in _clients)
        {
            bytesAfter += client.WireBytes;
            lanes += client.LaneCount;
            end = Math.Max(end, client.LastLiveStamp);
            latency.Add(client.Latency);
        }

        return new RunResult(s, name)
        {
            Error = FirstClientError(),
            Delivered = s.MeasuredEvents * lanes,
            WireBytes = bytesAfter - bytesBefore,
            Seconds = (double)(end - start) / Stopwatch.Frequency,
            P50 = latency.Percentile(0.50),
            P99 = latency.Percentile(0.99),
            P999 = latency.Percentile(0.999),
            Stats = after.Since(before),
        };
    }

    /// <summary>Sends live events [from, to) on every shard, paced by the flow gates, and waits until every client has them.</summary>
    private async Task FirehoseAsync(long from, long to)
    {
        using var limit = new CancellationTokenSource(RunSettings.PhaseLimit);
        var emitters = new Task[_scenario.Shards];
        for (var shard = 0; shard < emitters.Length; shard++)
        {
            emitters[shard] = EmitAsync(shard, from, to, limit.Token);
        }

        try
        {
            await Task.WhenAll(emitters).ConfigureAwait(false);
            foreach (var gate in _gates)
            {
                await gate.WaitForAsync(to, limit.Token).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (limit.IsCancellationRequested)
        {
            throw new TimeoutException($"clients did not receive events up to {to} within {RunSettings.PhaseLimit} (slowest: {SlowestSummary()})");
        }

        if (FirstClientError() is { } error)
        {
            throw new InvalidOperationException(error);
        }
    }

    private async Task EmitAsync(int shard, long from, long to, CancellationToken ct)
    {
        var gate = _gates[shard];
        var expected = _expected[shard];
        var simulator = _simulator!;
        var rate = _scenario.Rate;
        var started = Now();
        for (var next = from; next < to;)
        {
            var count = (int)Math.Min(RunSettings.EmitBatch, to - next);
            if (rate > 0)
            {
                // Fixed rate: send what is due by now (at most a batch); timer granularity (~1 ms) batches the rest.
                var due = (long)((Now() - started) * rate / Stopwatch.Frequency) - (next - from) + 1;
                if (due <= 0)
                {
                    await Task.Delay(1, ct).ConfigureAwait(false);
                    continue;
                }

                count = (int)Math.Min(count, due);
            }

            await gate.WaitForAsync(next + count - gate.Window, ct).ConfigureAwait(false);
            if (FirstClientError() is not null)
            {
                return;
            }

            Array.Fill(expected.SendStamps, Now(), (int)next, count);
            simulator.EmitPrepared(shard, expected.Pool, next, count);
            next += count;
        }
    }

    private string SlowestSummary()
    {
        var parts = new List<string>();
        foreach (var gate in _gates)
        {
            parts.Add(gate.SlowestReceived().ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        return string.Join(", ", parts);
    }
}
