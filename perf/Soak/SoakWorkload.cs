using System.Collections.Concurrent;

namespace GatewayProxy.Perf.Soak;

/// <summary>
/// What the soak does to the proxy: steady clients that read every event and heartbeat, and churn workers that
/// connect, identify, disconnect (cleanly or not), resume, stall past backpressure and heartbeat deadlines, or
/// leave before identifying. Every action has its own time limit, so a stuck one cannot stall the run.
/// </summary>
internal sealed class SoakWorkload
{
    private static readonly TimeSpan ActionLimit = TimeSpan.FromSeconds(30);

    /// <summary>Older remembered sessions are not tried: the soak runs the proxy with a 20 s session TTL.</summary>
    private static readonly TimeSpan ResumableFor = TimeSpan.FromSeconds(15);

    private readonly Uri _url;
    private readonly string _token;
    private readonly int _shards;
    // Newest first: a session is resumable only within the proxy's session TTL, so the freshest is the one to try.
    private readonly ConcurrentStack<(string Session, long Seq, long Ticks)> _resumable = new();
    private long _steadyEvents;
    private long _steadyReconnects;
    private long _actions;
    private long _resumed;
    private long _failures;

    public SoakWorkload(Uri url, string token, int shards)
    {
        _url = url;
        _token = token;
        _shards = shards;
    }

    /// <summary>Events read by the steady clients so far.</summary>
    public long SteadyEvents => Interlocked.Read(ref _steadyEvents);

    /// <summary>Times a steady client had to reconnect (it was cut).</summary>
    public long SteadyReconnects => Interlocked.Read(ref _steadyReconnects);

    /// <summary>Churn actions finished.</summary>
    public long Actions => Interlocked.Read(ref _actions);

    /// <summary>Successful resumes.</summary>
    public long Resumed => Interlocked.Read(ref _resumed);

    /// <summary>Churn actions that ended in an exception (the proxy cut a stalled client, a timeout...).</summary>
    public long Failures => Interlocked.Read(ref _failures);

    /// <summary>One client per shard that reads and heartbeats until <paramref name="ct"/>; reconnects when cut.</summary>
    public async Task RunSteadyAsync(int shard, CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            try
            {
                await using SoakClient client = await SoakClient.ConnectAsync(_url, ct);
                await client.IdentifyAsync(_token, shard, _shards, ct);
                DateTime nextBeat = DateTime.UtcNow.AddMilliseconds(client.HeartbeatMs / 2);
                long counted = client.Dispatches;
                while (!ct.IsCancellationRequested)
                {
                    if (DateTime.UtcNow >= nextBeat)
                    {
                        await client.HeartbeatAsync(ct);
                        nextBeat = DateTime.UtcNow.AddMilliseconds(client.HeartbeatMs / 2);
                    }

                    if (await client.ReceiveAsync(ct) is null)
                    {
                        break;
                    }

                    Interlocked.Add(ref _steadyEvents, client.Dispatches - counted);
                    counted = client.Dispatches;
                }
            }
            catch (Exception) when (!ct.IsCancellationRequested)
            {
            }
            catch (OperationCanceledException)
            {
                return;
            }

            if (!ct.IsCancellationRequested)
            {
                Interlocked.Increment(ref _steadyReconnects);
            }
        }
    }

    /// <summary>A churn worker: random actions (seeded) until <paramref name="ct"/>.</summary>
    public async Task RunChurnAsync(int seed, CancellationToken ct)
    {
        var random = new Random(seed);
        while (!ct.IsCancellationRequested)
        {
            using var limit = CancellationTokenSource.CreateLinkedTokenSource(ct);
            limit.CancelAfter(ActionLimit);
            int shard = random.Next(_shards);
            try
            {
                switch (random.Next(6))
                {
                    case 0:
                    case 1:
                        await IdentifyThenLeaveAsync(shard, abort: random.Next(2) == 0, limit.Token);
                        break;
                    case 2:
                        await ResumeAsync(limit.Token);
                        break;
                    case 3:
                        await StallAsync(shard, TimeSpan.FromSeconds(5 + random.Next(16)), limit.Token);
                        break;
                    case 4:
                        await LeaveBeforeIdentifyAsync(limit.Token);
                        break;
                    default:
                        await IdentifyThenLeaveAsync(shard, abort: true, limit.Token);
                        break;
                }
            }
            catch (Exception) when (!ct.IsCancellationRequested)
            {
                Interlocked.Increment(ref _failures);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            Interlocked.Increment(ref _actions);
        }
    }

    private async Task IdentifyThenLeaveAsync(int shard, bool abort, CancellationToken ct)
    {
        await using SoakClient client = await SoakClient.ConnectAsync(_url, ct);
        await client.IdentifyAsync(_token, shard, _shards, ct);
        // Read the guild burst and a few live events, so there is something to resume from.
        for (int i = 0; i < 30 && await client.ReceiveAsync(ct) is not null; i++)
        {
        }

        if (abort)
        {
            Remember(client);
            client.Abort();
        }
        else
        {
            await client.CloseAsync(ct);
        }
    }

    private async Task ResumeAsync(CancellationToken ct)
    {
        (string Session, long Seq, long Ticks) entry;
        do
        {
            if (!_resumable.TryPop(out entry))
            {
                await LeaveBeforeIdentifyAsync(ct);
                return;
            }
        }
        while (Environment.TickCount64 - entry.Ticks > (long)ResumableFor.TotalMilliseconds);

        await using SoakClient client = await SoakClient.ConnectAsync(_url, ct);
        if (await client.ResumeAsync(_token, entry.Session, entry.Seq, ct))
        {
            Interlocked.Increment(ref _resumed);
            for (int i = 0; i < 10 && await client.ReceiveAsync(ct) is not null; i++)
            {
            }

            Remember(client);
        }

        client.Abort();
    }

    private async Task StallAsync(int shard, TimeSpan stall, CancellationToken ct)
    {
        // Identifies, then reads nothing: the proxy must cut it (backpressure or heartbeat) without holding memory.
        await using SoakClient client = await SoakClient.ConnectAsync(_url, ct);
        await client.IdentifyAsync(_token, shard, _shards, ct);
        await Task.Delay(stall, ct);
        client.Abort();
    }

    private async Task LeaveBeforeIdentifyAsync(CancellationToken ct)
    {
        await using SoakClient client = await SoakClient.ConnectAsync(_url, ct);
        await client.CloseAsync(ct);
    }

    private void Remember(SoakClient client)
    {
        if (client.SessionId is { } session)
        {
            if (_resumable.Count >= 32)
            {
                _resumable.Clear();
            }

            _resumable.Push((session, client.LastSeq, Environment.TickCount64));
        }
    }
}
