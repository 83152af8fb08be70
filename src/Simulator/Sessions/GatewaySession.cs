using System.Buffers;
using System.Text;
using GatewayProxy.Protocol.Gateway;
using GatewayProxy.Simulator.Gateway;


namespace GatewayProxy.Simulator.Sessions;

/// <summary>
/// A gateway session: its id, shard, intents, sequence counter and the dispatches it can replay on RESUME.
/// Outlives its connection for the resume window. Every member is used under the shard's lock.
/// </summary>
internal sealed class GatewaySession
{
    private readonly Queue<LogEntry> _log = new();
    private readonly int _logLimit;
    private long _lastEvictedSeq;

    /// <summary>A new session on a shard.</summary>
    public GatewaySession(string id, int shard, long intents, int largeThreshold, int logLimit)
    {
        Id = id;
        Shard = shard;
        Intents = intents;
        LargeThreshold = largeThreshold;
        _logLimit = logLimit;
    }

    /// <summary>session_id.</summary>
    public string Id { get; }

    /// <summary>The shard it was identified for.</summary>
    public int Shard { get; }

    /// <summary>Intents from IDENTIFY.</summary>
    public long Intents { get; }

    /// <summary>large_threshold from IDENTIFY (50–250).</summary>
    public int LargeThreshold { get; }

    /// <summary>The last sequence number sent (0 before READY).</summary>
    public long Seq { get; private set; }

    /// <summary>The connection currently attached, or null while it is disconnected.</summary>
    public GatewayConnection? Connection { get; set; }

    /// <summary>When it lost its connection (for the resume window).</summary>
    public long DisconnectedAtTicks { get; set; }

    /// <summary>False once closed for good (op 9 false, a 1000/1001 close, a timeout, or expiry).</summary>
    public bool Valid { get; set; } = true;

    /// <summary>True once READY and its GUILD_CREATEs have been sequenced: the live stream may feed it.</summary>
    public bool Ready { get; set; }

    /// <summary>True when the session receives this dispatch type.</summary>
    public bool Receives(string type)
    {
        var required = IntentGates.Required(type);
        return required == 0 || (Intents & required) != 0;
    }

    /// <summary>Sequences a dispatch, logs it for replay, hands it to the connection if any, and returns the record.</summary>
    public SentDispatch Send(string type, ReadOnlySpan<byte> data, bool replayable)
    {
        var seq = ++Seq;
        var buffer = new ArrayBufferWriter<byte>(data.Length + 64);
        GatewayPayloads.WriteDispatch(buffer, Encoding.ASCII.GetBytes(type), seq, data);
        var payload = buffer.WrittenSpan.ToArray();
        if (replayable)
        {
            _log.Enqueue(new LogEntry(seq, payload));
            if (_log.Count > _logLimit)
            {
                _lastEvictedSeq = _log.Dequeue().Seq;
            }
        }

        Connection?.EnqueuePayload(payload);
        return new SentDispatch(Id, seq, type, payload);
    }

    /// <summary>Sequences a dispatch and hands it to the connection, if any, without logging it for replay (firehose).</summary>
    public void SendUnlogged(ReadOnlySpan<byte> type, ReadOnlySpan<byte> data, ArrayBufferWriter<byte> scratch)
    {
        var seq = ++Seq;
        scratch.ResetWrittenCount();
        GatewayPayloads.WriteDispatch(scratch, type, seq, data);
        Connection?.EnqueuePayload(scratch.WrittenSpan.ToArray());
    }

    /// <summary>True when a RESUME from <paramref name="seq"/> can be served: not ahead of us, and nothing after it has left the log.</summary>
    public bool CanReplayFrom(long seq)
    {
        // Every entry after seq must still be in the log: only entries up to seq may have been evicted.
        return seq >= 0 && seq <= Seq && seq >= _lastEvictedSeq;
    }

    /// <summary>Hands every logged dispatch after <paramref name="seq"/> to <paramref name="connection"/>, in order; returns how many.</summary>
    public int ReplayAfter(long seq, GatewayConnection connection)
    {
        var count = 0;
        foreach (var entry in _log)
        {
            if (entry.Seq > seq)
            {
                connection.EnqueuePayload(entry.Payload);
                count++;
            }
        }

        return count;
    }

    private readonly record struct LogEntry(long Seq, byte[] Payload);
}
