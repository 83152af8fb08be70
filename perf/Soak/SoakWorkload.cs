using System.Collections.Concurrent;
using GatewayProxy.Protocol.Compression;

namespace GatewayProxy.Perf.Soak;

/// <summary>
/// What the soak does to the proxy: steady clients that read every event and heartbeat, and churn workers that
/// connect, identify, resume and leave (with a close frame or by dropping TCP), stall without reading, or leave before
/// identifying, over no compression, zlib-stream and zstd-stream, paced to a total connection rate. Every action has its
/// own time limit, so a stuck one cannot stall the run.
/// </summary>
internal sealed class SoakWorkload
{
    private static readonly TimeSpan ActionLimit = TimeSpan.FromSeconds(30);

    private readonly Uri _url;
    private readonly string _token;
    private readonly int _shards;
    private readonly TimeSpan _resumableFor;
    // Newest first: a session is resumable only within the proxy's session TTL, so the freshest is the one to try.
    private readonly ConcurrentStack<(string Session, long Seq, long Ticks)> _resumable = new();
    private long _steadyEvents;
    private long _steadyReconnects;
    private long _actions;
    private long _connections;
    private long _resumed;
    private long _failures;
    private long _closed;
    private long _dropped;
    private long _jsonBytes;
    private long _wireBytes;
    private readonly long[] _byCompression = new long[3];

    /// <param name="url">The proxy's gateway URL with <c>v</c> and <c>encoding</c>.</param>
    /// <param name="token">The bot token.</param>
    /// <param name="shards">Shard count.</param>
    /// <param name="sessionTtl">The proxy's session TTL: older remembered sessions are not tried.</param>
    public SoakWorkload(Uri url, string token, int shards, TimeSpan sessionTtl)
    {
        _url = url;
        _token = token;
        _shards = shards;
        _resumableFor = sessionTtl * 0.75;
    }

    /// <summary>Events read by the steady clients so far.</summary>
    public long SteadyEvents => Interlocked.Read(ref _steadyEvents);

    /// <summary>Times a steady client had to reconnect (it was cut).</summary>
    public long SteadyReconnects => Interlocked.Read(ref _steadyReconnects);

    /// <summary>Churn actions finished.</summary>
    public long Actions => Interlocked.Read(ref _actions);

    /// <summary>Churn WebSocket connections opened (upgrade and HELLO done).</summary>
    public long Connections => Interlocked.Read(ref _connections);

    /// <summary>Successful resumes.</summary>
    public long Resumed => Interlocked.Read(ref _resumed);

    /// <summary>Churn connections that left with a close frame.</summary>
    public long Closed => Interlocked.Read(ref _closed);

    /// <summary>Churn connections that left by dropping TCP (no close frame).</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    /// <summary>Churn actions that ended in an exception (the proxy cut a stalled client, a timeout...).</summary>
    public long Failures => Interlocked.Read(ref _failures);

    /// <summary>JSON bytes the churn clients received (after decompression).</summary>
    public long JsonBytes => Interlocked.Read(ref _jsonBytes);

    /// <summary>WebSocket payload bytes the churn clients received (compressed where the transport is).</summary>
    public long WireBytes => Interlocked.Read(ref _wireBytes);

    /// <summary>Churn connections by transport compression (none, zlib-stream, zstd-stream).</summary>
    public long ConnectionsBy(TransportCompression compression) => Interlocked.Read(ref _byCompression[(int)compression]);

    /// <summary>One client per shard that reads and heartbeats until <paramref name="ct"/>; reconnects when cut.</summary>
    public async Task RunSteadyAsync(int shard, CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            try
            {
                await using SoakClient client = await SoakClient.ConnectAsync(_url, TransportCompression.None, ct);
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
                await Task.Delay(TimeSpan.FromSeconds(1), ct).ConfigureAwait(false);
            }
        }
    }

    /// <summary>A churn worker: random actions (seeded) until <paramref name="ct"/>, one every <paramref name="pace"/> at most.</summary>
    public async Task RunChurnAsync(int seed, TimeSpan pace, CancellationToken ct)
    {
        var random = new Random(seed);
        while (!ct.IsCancellationRequested)
        {
            long started = Environment.TickCount64;
            using var limit = CancellationTokenSource.CreateLinkedTokenSource(ct);
            limit.CancelAfter(ActionLimit);
            int shard = random.Next(_shards);
            // zlib-stream and zstd-stream (what libraries ask for), some plain.
            var compression = (TransportCompression)(random.Next(5) switch { 0 => 0, 1 or 2 => 1, _ => 2 });
            bool closeFrame = random.Next(2) == 0;
            try
            {
                switch (random.Next(20))
                {
                    case < 8:
                        await IdentifyThenLeaveAsync(shard, compression, 10 + random.Next(40), closeFrame, limit.Token);
                        break;
                    case < 14:
                        await ResumeAsync(shard, compression, 5 + random.Next(20), closeFrame, limit.Token);
                        break;
                    case < 17:
                        await StallAsync(shard, compression, TimeSpan.FromSeconds(5 + random.Next(11)), limit.Token);
                        break;
                    default:
                        await LeaveBeforeIdentifyAsync(compression, closeFrame, limit.Token);
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
            long wait = (long)pace.TotalMilliseconds - (Environment.TickCount64 - started);
            if (wait > 0)
            {
                try
                {
                    await Task.Delay(TimeSpan.FromMilliseconds(wait), ct).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    private async Task<SoakClient> ConnectAsync(TransportCompression compression, CancellationToken ct)
    {
        SoakClient client = await SoakClient.ConnectAsync(_url, compression, ct);
        Interlocked.Increment(ref _connections);
        Interlocked.Increment(ref _byCompression[(int)compression]);
        return client;
    }

    private async Task IdentifyThenLeaveAsync(int shard, TransportCompression compression, int events, bool closeFrame, CancellationToken ct)
    {
        SoakClient client = await ConnectAsync(compression, ct);
        try
        {
            await client.IdentifyAsync(_token, shard, _shards, ct);
            // Read the guild burst and some live events, so there is something to resume from.
            long target = client.Dispatches + events;
            while (client.Dispatches < target && await client.ReceiveAsync(ct) is not null)
            {
            }

            Remember(client);
            await LeaveAsync(client, closeFrame, ct);
        }
        finally
        {
            await EndAsync(client);
        }
    }

    private async Task ResumeAsync(int shard, TransportCompression compression, int events, bool closeFrame, CancellationToken ct)
    {
        (string Session, long Seq, long Ticks) entry;
        do
        {
            if (!_resumable.TryPop(out entry))
            {
                await IdentifyThenLeaveAsync(shard, compression, events, closeFrame, ct);
                return;
            }
        }
        while (Environment.TickCount64 - entry.Ticks > (long)_resumableFor.TotalMilliseconds);

        SoakClient client = await ConnectAsync(compression, ct);
        try
        {
            if (await client.ResumeAsync(_token, entry.Session, entry.Seq, ct))
            {
                Interlocked.Increment(ref _resumed);
                long target = client.Dispatches + events;
                while (client.Dispatches < target && await client.ReceiveAsync(ct) is not null)
                {
                }

                Remember(client);
            }

            await LeaveAsync(client, closeFrame, ct);
        }
        finally
        {
            await EndAsync(client);
        }
    }

    private async Task StallAsync(int shard, TransportCompression compression, TimeSpan stall, CancellationToken ct)
    {
        // Identifies, then reads nothing: the proxy holds its backlog until the client goes (or is cut).
        SoakClient client = await ConnectAsync(compression, ct);
        try
        {
            await client.IdentifyAsync(_token, shard, _shards, ct);
            await Task.Delay(stall, ct);
            await LeaveAsync(client, closeFrame: false, ct);
        }
        finally
        {
            await EndAsync(client);
        }
    }

    private async Task LeaveBeforeIdentifyAsync(TransportCompression compression, bool closeFrame, CancellationToken ct)
    {
        SoakClient client = await ConnectAsync(compression, ct);
        try
        {
            await LeaveAsync(client, closeFrame, ct);
        }
        finally
        {
            await EndAsync(client);
        }
    }

    private async Task LeaveAsync(SoakClient client, bool closeFrame, CancellationToken ct)
    {
        if (closeFrame)
        {
            await client.CloseAsync(ct);
            Interlocked.Increment(ref _closed);
        }
        else
        {
            client.Abort();
            Interlocked.Increment(ref _dropped);
        }
    }

    private async Task EndAsync(SoakClient client)
    {
        Interlocked.Add(ref _jsonBytes, client.JsonBytes);
        Interlocked.Add(ref _wireBytes, client.WireBytes);
        await client.DisposeAsync();
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
