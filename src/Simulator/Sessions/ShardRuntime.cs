using GatewayProxy.Protocol.Gateway;
using System.Diagnostics;
using GatewayProxy.Simulator.Data;
using GatewayProxy.Simulator.Gateway;

namespace GatewayProxy.Simulator.Sessions;

/// <summary>
/// One shard at run time: its guilds, its sessions, the record of every dispatch sequenced for them, and the
/// live event stream. The shard's lock (<see cref="ShardData.Gate"/>) guards all of it.
/// </summary>
internal sealed partial class ShardRuntime
{
    private readonly DiscordSimulator _simulator;
    private readonly EventGenerator _generator;
    private readonly List<LiveEvent> _scratch = [];
    private readonly SemaphoreSlim _wake = new(0);
    private TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Wraps a shard's generated data.</summary>
    public ShardRuntime(DiscordSimulator simulator, ShardData data)
    {
        _simulator = simulator;
        Data = data;
        _generator = new EventGenerator(data, simulator.State.BotUserId)
        {
            SteadyState = simulator.Options.SteadyState,
            LiveGuilds = simulator.Options.LiveGuildsPerShard,
        };
    }

    /// <summary>The shard's guilds and lock.</summary>
    public ShardData Data { get; }

    /// <summary>The shard id.</summary>
    public int Shard => Data.Shard;

    /// <summary>The lock for everything on this shard.</summary>
    public Lock Gate => Data.Gate;

    /// <summary>Valid sessions of this shard (connected or waiting to resume).</summary>
    public List<GatewaySession> Sessions { get; } = [];

    /// <summary>Every dispatch sequenced on this shard, in order.</summary>
    public List<SentDispatch> Sent { get; } = [];

    /// <summary>The connection of the most recent session that has one (the target of fault injection).</summary>
    public GatewayConnection? CurrentConnectionLocked()
    {
        for (var i = Sessions.Count - 1; i >= 0; i--)
        {
            if (Sessions[i].Connection is { } connection)
            {
                return connection;
            }
        }

        return null;
    }

    /// <summary>Sequences one dispatch for a session and records it.</summary>
    public void SendLocked(GatewaySession session, string type, ReadOnlySpan<byte> data, bool replayable = true)
    {
        if (Sent.Count >= _simulator.Options.RecordLimit)
        {
            Sent.RemoveRange(0, Sent.Count / 2);
        }

        if (type == "GUILD_CREATE")
        {
            _simulator.CountGuildCreate(data.Length);
        }

        Sent.Add(session.Send(type, data, replayable));
    }

    /// <summary>Sequences a generated event for every session of the shard that receives it.</summary>
    public void DispatchLocked(LiveEvent e)
    {
        foreach (var session in Sessions)
        {
            if (!session.Valid || !session.Ready || !session.Receives(e.Type))
            {
                continue;
            }

            if (e.GuildCreate is { } guild)
            {
                SendLocked(session, e.Type, GuildViews.GuildCreateBytes(guild, session.Intents, session.LargeThreshold, _simulator.State.BotUserId));
            }
            else
            {
                var contentless = e.DataWithoutContent is not null && (session.Intents & GatewayIntents.MessageContent) == 0;
                SendLocked(session, e.Type, contentless ? e.DataWithoutContent : e.Data);
            }
        }
    }

    /// <summary>Generates and dispatches up to <paramref name="count"/> events now; returns how many dispatches were made.</summary>
    public int EmitLocked(int count)
    {
        long intents = 0;
        var any = false;
        foreach (var session in Sessions)
        {
            if (session.Valid)
            {
                intents |= session.Intents;
                any = true;
            }
        }

        if (!any)
        {
            intents = GatewayIntents.All;
        }

        var emitted = 0;
        while (emitted < count)
        {
            _scratch.Clear();
            var made = _generator.Next(intents, count - emitted, _scratch);
            if (made == 0)
            {
                break;
            }

            foreach (var e in _scratch)
            {
                DispatchLocked(e);
            }

            emitted += made;
        }

        Data.Hot.Trim(_simulator.Options.HotGuildsPerShard);
        return emitted;
    }

    /// <summary>Drops sessions whose connection has been gone longer than the resume window.</summary>
    public void PruneExpiredLocked()
    {
        var now = Environment.TickCount64;
        var window = (long)_simulator.Options.ResumeWindow.TotalMilliseconds;
        for (var i = Sessions.Count - 1; i >= 0; i--)
        {
            var session = Sessions[i];
            if (!session.Valid || (session.Connection is null && now - session.DisconnectedAtTicks > window))
            {
                session.Valid = false;
                Sessions.RemoveAt(i);
            }
        }
    }

    /// <summary>Completes at the next READY or RESUMED on this shard (read under the lock).</summary>
    public Task ReadySignal => _ready.Task;

    /// <summary>Completes <see cref="ReadySignal"/> and arms a new one.</summary>
    public void SignalReady()
    {
        TaskCompletionSource old;
        lock (Gate)
        {
            old = _ready;
            _ready = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        old.TrySetResult();
    }

    /// <summary>Wakes the live stream (a session became ready, or the rate changed).</summary>
    public void Wake() => _wake.Release();

    /// <summary>Runs the live stream: <see cref="DiscordSimulator.Rate"/> events per second while a session is ready, up to EventCount.</summary>
    public async Task RunLiveStreamAsync(CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        long emittedSinceStart = 0;
        double pacedRate = -1;
        while (!ct.IsCancellationRequested)
        {
            var rate = _simulator.Rate;
            bool active;
            lock (Gate)
            {
                PruneExpiredLocked();
                active = Data.Generated < _simulator.Options.EventCount && HasReadySessionLocked();
            }

            if (rate <= 0 || !active)
            {
                pacedRate = -1;
                await WaitAsync(TimeSpan.FromMilliseconds(500), ct).ConfigureAwait(false);
                continue;
            }

            if (rate != pacedRate)
            {
                // A new rate (or a restart after a pause) starts a new pacing period.
                pacedRate = rate;
                clock.Restart();
                emittedSinceStart = 0;
            }

            var due = (long)(clock.Elapsed.TotalSeconds * rate) - emittedSinceStart;
            if (due > rate + 1000)
            {
                // Fell far behind (machine busy): do not burst a backlog, start pacing again from now.
                clock.Restart();
                emittedSinceStart = 0;
                due = 1;
            }

            if (due > 0)
            {
                lock (Gate)
                {
                    // SetRate(0) passes through this lock after writing the rate: a pause seen here stops the
                    // stream at once, so once SetRate returns no event is generated (the state stays still).
                    if (_simulator.Rate <= 0)
                    {
                        continue;
                    }

                    var budget = (int)Math.Min(Math.Min(due, 1000), _simulator.Options.EventCount - Data.Generated);
                    var made = EmitLocked(budget);
                    Data.Generated += made;
                    if (made == 0)
                    {
                        // No guild on this shard: nothing can happen here.
                        Data.Generated = _simulator.Options.EventCount;
                    }
                }

                emittedSinceStart += due;
            }

            var next = TimeSpan.FromSeconds((emittedSinceStart + 1) / rate) - clock.Elapsed;
            await WaitAsync(next < TimeSpan.FromMilliseconds(1) ? TimeSpan.FromMilliseconds(1) : next, ct).ConfigureAwait(false);
        }
    }

    private bool HasReadySessionLocked()
    {
        foreach (var session in Sessions)
        {
            if (session.Valid && session.Ready)
            {
                return true;
            }
        }

        return false;
    }

    private async Task WaitAsync(TimeSpan timeout, CancellationToken ct)
    {
        try
        {
            await _wake.WaitAsync(timeout, ct).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Shutting down.
        }
    }
}
