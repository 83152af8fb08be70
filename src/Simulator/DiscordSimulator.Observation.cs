using GatewayProxy.Simulator.Gateway;

namespace GatewayProxy.Simulator;

/// <summary>What tests read back: every dispatch sequenced per shard, and every payload received.</summary>
public sealed partial class DiscordSimulator
{
    private readonly Lock _commandGate = new();
    private readonly List<GatewayCommandRecord> _commands = [];
    private TaskCompletionSource _commandSignal = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _guildCreates;
    private long _guildCreateBytes;

    /// <summary>GUILD_CREATEs sequenced for sessions so far (after READY and live), prepared replays not included.</summary>
    public long GuildCreatesSent => Interlocked.Read(ref _guildCreates);

    /// <summary>Bytes of the <c>d</c> of those GUILD_CREATEs, as each session's intents and large_threshold shaped them.</summary>
    public long GuildCreateBytesSent => Interlocked.Read(ref _guildCreateBytes);

    internal void CountGuildCreate(int bytes)
    {
        Interlocked.Increment(ref _guildCreates);
        Interlocked.Add(ref _guildCreateBytes, bytes);
    }

    /// <summary>Sessions a shard holds now, live or waiting for a RESUME (a session its client closed with 1000/1001 is gone).</summary>
    public int SessionCount(int shard)
    {
        var runtime = Shard(shard);
        lock (runtime.Gate)
        {
            runtime.PruneExpiredLocked();
            return runtime.Sessions.Count;
        }
    }

    /// <summary>Every dispatch sequenced on a shard (READY, GUILD_CREATEs, live events, replies, RESUMED), once per sequence number, in order.</summary>
    public IReadOnlyList<SentDispatch> GetSentDispatches(int shard)
    {
        var runtime = Shard(shard);
        lock (runtime.Gate)
        {
            return runtime.Sent.ToArray();
        }
    }

    /// <summary>Every payload received on a shard's connections (IDENTIFY counts for the shard it asked for), in arrival order.</summary>
    public IReadOnlyList<GatewayCommandRecord> GetReceivedCommands(int shard)
    {
        lock (_commandGate)
        {
            return _commands.FindAll(c => c.Shard == shard);
        }
    }

    /// <summary>Every payload received by the simulator, in arrival order.</summary>
    public IReadOnlyList<GatewayCommandRecord> GetReceivedCommands()
    {
        lock (_commandGate)
        {
            return _commands.ToArray();
        }
    }

    /// <summary>Completes once the simulator has received (and handled) at least <paramref name="count"/> payloads in total.</summary>
    public async Task WaitForReceivedCommandsAsync(int count, CancellationToken ct = default)
    {
        while (true)
        {
            Task signal;
            lock (_commandGate)
            {
                if (_handledCommands >= count)
                {
                    return;
                }

                signal = _commandSignal.Task;
            }

            await signal.WaitAsync(ct).ConfigureAwait(false);
        }
    }

    internal void RecordCommand(GatewayConnection connection, int shard, int op, ReadOnlySpan<byte> payload)
    {
        lock (_commandGate)
        {
            if (_commands.Count >= Options.RecordLimit)
            {
                _commands.RemoveRange(0, _commands.Count / 2);
            }

            _commands.Add(new GatewayCommandRecord(_commandOrder++, connection.Id, shard, op, DateTimeOffset.UtcNow, payload.ToArray()));
        }
    }

    /// <summary>Marks one received payload as handled (its answer, if any, is queued).</summary>
    internal void CommandHandled()
    {
        TaskCompletionSource signal;
        lock (_commandGate)
        {
            _handledCommands++;
            signal = _commandSignal;
            _commandSignal = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        signal.TrySetResult();
    }

    private int _handledCommands;
    private long _commandOrder;
}
