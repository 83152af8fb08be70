using System.Diagnostics;
using System.Globalization;
using GatewayProxy.Perf.Soak;

namespace GatewayProxy.Perf.EndToEnd.BigBot;

/// <summary>The measured phases: the window of live load, memory, churn.</summary>
internal sealed partial class BigBotRunner
{
    private static readonly TimeSpan ControlLimit = TimeSpan.FromSeconds(120);
    private double _loadSeconds;

    private async Task MeasureWindowAsync(Action<string> log)
    {
        _result.Phase = "window";
        var proxy = _proxy!;
        await proxy.ControlAsync("gcstats", ControlLimit).ConfigureAwait(false);
        var before = await proxy.ReadStatsAsync().ConfigureAwait(false);
        var bursts = Bursts();
        var clock = Stopwatch.StartNew();
        var sent = await PaceAsync(_options.Window).ConfigureAwait(false);
        await WaitDeliveredAsync().ConfigureAwait(false);
        _result.WindowSeconds = clock.Elapsed.TotalSeconds;
        var after = await proxy.ReadStatsAsync().ConfigureAwait(false);
        var gc = await proxy.ControlAsync("gcstats", ControlLimit).ConfigureAwait(false);
        _result.WindowEvents = sent;
        _result.WindowBursts = Bursts() - bursts;
        _result.WindowCpuSeconds = after.CpuSeconds - before.CpuSeconds;
        _result.WindowAllocated = after.AllocatedBytes - before.AllocatedBytes;
        ParseGc(gc);
        CountVerified();
        log(string.Create(CultureInfo.InvariantCulture,
            $"    window: {sent:N0} upstream events in {_result.WindowSeconds:N0} s ({_result.WindowBursts} outage bursts), proxy CPU {_result.WindowCpuSeconds:N1} s, {gc}"));
    }

    private async Task MeasureMemoryAsync()
    {
        _result.Phase = "memory";
        var proxy = _proxy!;
        _result.Rss = proxy.ResidentBytes();
        _result.Heap = (long)await proxy.SumMetricAsync("gateway_process_heap_bytes ").ConfigureAwait(false);
        _result.CacheBytes = (long)await proxy.SumMetricAsync("gateway_cache_bytes{").ConfigureAwait(false);
        _result.CacheGuilds = (long)await proxy.SumMetricAsync("gateway_cache_guilds{").ConfigureAwait(false);
        _result.ClientCompressionBytes = (long)await proxy.SumMetricAsync("gateway_zlib_native_bytes").ConfigureAwait(false);
        // The rings' retained event bytes as the proxy counts them, plus their fixed slots.
        _result.RingBytes = (long)await proxy.SumMetricAsync("gateway_ring_memory_bytes ").ConfigureAwait(false) + ((long)_shards * _options.RingSize * 32L);
        var gc = await proxy.ControlAsync("gc", ControlLimit).ConfigureAwait(false);
        _result.HeapAfterGc = long.Parse(gc[(gc.IndexOf("heap=", StringComparison.Ordinal) + 5)..].Trim(), CultureInfo.InvariantCulture);
        _result.RssAfterGc = proxy.ResidentBytes();
    }

    private void CountVerified()
    {
        _result.VerifiedEvents = 0;
        _result.OrderCheckedEvents = 0;
        foreach (var client in _clients)
        {
            if (_expected[client.Shard].HasBytes)
            {
                _result.VerifiedEvents += client.LiveReceived;
            }
            else
            {
                _result.OrderCheckedEvents += client.LiveReceived;
            }
        }
    }

    private async Task ChurnAsync(Action<string> log)
    {
        _result.Phase = "churn";
        var proxy = _proxy!;
        var workload = new SoakWorkload(new Uri(string.Create(CultureInfo.InvariantCulture, $"ws://127.0.0.1:{proxy.ClientUrl.Port}/?v=10&encoding=json")), RunSettings.Token, _shards,
            sessionTtl: TimeSpan.FromSeconds(120));
        using var stop = new CancellationTokenSource(_options.Churn);
        var workers = new List<Task>();
        for (var i = 0; i < _options.ChurnWorkers; i++)
        {
            workers.Add(workload.RunChurnAsync(seed: 1000 + i, pace: TimeSpan.Zero, stop.Token));
        }

        var pacing = PaceAsync(_options.Churn);
        long rssFirst = proxy.ResidentBytes(), rssMax = rssFirst, rssLast = rssFirst;
        int fdFirst = proxy.Child.OpenFileDescriptors(), fdMax = fdFirst, fdLast = fdFirst;
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1));
        while (!pacing.IsCompleted && await timer.WaitForNextTickAsync().ConfigureAwait(false))
        {
            rssLast = proxy.ResidentBytes();
            fdLast = proxy.Child.OpenFileDescriptors();
            rssMax = Math.Max(rssMax, rssLast);
            fdMax = Math.Max(fdMax, fdLast);
        }

        await pacing.ConfigureAwait(false);
        await Task.WhenAll(workers).WaitAsync(TimeSpan.FromSeconds(60)).ConfigureAwait(false);
        await WaitDeliveredAsync().ConfigureAwait(false);

        // Dropped connections need a moment to be reaped; the last sample is taken after the workers stopped.
        await Task.Delay(2000).ConfigureAwait(false);
        rssLast = proxy.ResidentBytes();
        fdLast = proxy.Child.OpenFileDescriptors();
        _result.ChurnActions = workload.Actions;
        _result.ChurnResumes = workload.Resumed;
        _result.ChurnFailures = workload.Failures;
        _result.ChurnRss = (rssFirst, rssMax, rssLast);
        _result.ChurnFds = (fdFirst, fdMax, fdLast);
        CountVerified();
        log(string.Create(CultureInfo.InvariantCulture,
            $"    churn: {workload.Actions} actions, {workload.Resumed} resumes, {workload.Failures} failed; RSS {rssFirst / 1048576.0:N0} → max {rssMax / 1048576.0:N0} → {rssLast / 1048576.0:N0} MiB; fds {fdFirst} → max {fdMax} → {fdLast}"));
    }

    /// <summary>Sends each shard's due events until <paramref name="duration"/> has passed; returns how many were sent.</summary>
    private async Task<long> PaceAsync(TimeSpan duration)
    {
        var simulator = _simulator!;
        var clock = Stopwatch.StartNew();
        var last = 0.0;
        long sent = 0;
        while (clock.Elapsed < duration)
        {
            if (FirstClientError() is { } error)
            {
                throw new InvalidOperationException(error);
            }

            var now = clock.Elapsed.TotalSeconds;
            var dt = now - last;
            last = now;
            var stamp = Stopwatch.GetTimestamp();
            for (var shard = 0; shard < _shards; shard++)
            {
                var load = _loads[shard];
                var due = load.Due(_loadSeconds + now, dt);
                if (due == 0)
                {
                    continue;
                }

                var start = load.Cursor - due;
                var stamps = _expected[shard].SendStamps;
                if (start < stamps.Length)
                {
                    Array.Fill(stamps, stamp, (int)start, (int)Math.Min(due, stamps.Length - start));
                }

                simulator.EmitPrepared(shard, _expected[shard].Pool, start, due);
                sent += due;
            }

            // One pass over every shard per tick: at 1–10 events/s most shards send nothing in a given tick.
            await Task.Delay(10).ConfigureAwait(false);
        }

        _loadSeconds += clock.Elapsed.TotalSeconds;
        return sent;
    }

    private async Task WaitDeliveredAsync()
    {
        using var limit = new CancellationTokenSource(PhaseLimit);
        try
        {
            for (var shard = 0; shard < _shards; shard++)
            {
                await _gates[shard].WaitForAsync(_loads[shard].Cursor, limit.Token).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (limit.IsCancellationRequested)
        {
            throw new TimeoutException($"clients did not receive every event within {PhaseLimit}");
        }

        if (FirstClientError() is { } error)
        {
            throw new InvalidOperationException(error);
        }
    }

    private long Bursts()
    {
        long bursts = 0;
        foreach (var load in _loads)
        {
            bursts += load.Bursts;
        }

        return bursts;
    }

    private void ParseGc(string line)
    {
        _result.GcLine = line;
        foreach (var part in line.Split(' '))
        {
            var eq = part.IndexOf('=', StringComparison.Ordinal);
            if (eq < 0)
            {
                continue;
            }

            var value = part[(eq + 1)..];
            switch (part[..eq])
            {
                case "pauses": _result.GcPauses = int.Parse(value, CultureInfo.InvariantCulture); break;
                case "total_ms": _result.GcTotalMs = double.Parse(value, CultureInfo.InvariantCulture); break;
                case "max_ms": _result.GcMaxMs = double.Parse(value, CultureInfo.InvariantCulture); break;
                case "gen2": _result.Gen2 = int.Parse(value, CultureInfo.InvariantCulture); break;
            }
        }
    }
}
