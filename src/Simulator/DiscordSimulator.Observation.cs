using GatewayProxy.Simulator.Gateway;

namespace GatewayProxy.Simulator;

/// <summary>What tests read back: every dispatch sequenced per shard, and every payload received.</summary>
public sealed partial class DiscordSimulator
{
    private readonly Lock _commandGate = new();
    private readonly List<GatewayCommandRecord> _commands = [];

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

    internal void RecordCommand(GatewayConnection connection, int shard, int op, ReadOnlySpan<byte> payload)
    {
        lock (_commandGate)
        {
            _commands.Add(new GatewayCommandRecord(_commands.Count, connection.Id, shard, op, DateTimeOffset.UtcNow, payload.ToArray()));
        }
    }
}
