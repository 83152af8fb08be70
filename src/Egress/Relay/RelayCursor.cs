using GatewayProxy.Egress.Routing;
using GatewayProxy.Egress.Sessions;
using GatewayProxy.Protocol.Events;
using GatewayProxy.Ring;
using GatewayProxy.Shards;

namespace GatewayProxy.Egress.Relay;

/// <summary>
/// Where one client session stands in one shard's ring (a virtual-shard session has one per ring it reads), and everything the relay needs to go on from there: the reader
/// (its ring position), the map from client sequence back to ring positions (for RESUME), the producer hold while
/// it catches up, and the RESUME replay target.
/// </summary>
/// <remarks>
/// Owned by one party at a time, like the session that holds it (docs/architecture.md, "Relay cursor"): the connection
/// that starts or resumes the session positions it, then the egress worker it is attached to is its only writer until
/// the worker lets go; the hand-off goes through the worker's command queue, a full barrier, so nothing here is locked.
/// </remarks>
internal sealed class RelayCursor
{
    /// <summary><see cref="ResumeTarget"/> when no RESUMED is due (ring positions start at -1, so not -1).</summary>
    public const long NoResume = long.MinValue;

    private SnapshotHold? _hold;
    private RetentionPin? _origin;
    private long _resumeTarget = NoResume;

    /// <summary>A cursor over <paramref name="feed"/>'s ring, not yet positioned.</summary>
    public RelayCursor(IShardFeed feed, SoundboardRouter router, VoiceRouter voice)
    {
        Feed = feed;
        ShardId = feed.ShardId;
        Ring = feed.Ring;
        Router = router;
        Voice = voice;
    }

    /// <summary>The upstream shard read.</summary>
    public IShardFeed Feed { get; }

    /// <summary>The upstream shard's id.</summary>
    public int ShardId { get; }

    /// <summary>The shard's ring.</summary>
    public PayloadRing<EventMeta> Ring { get; }

    /// <summary>The shard's soundboard reply router.</summary>
    public SoundboardRouter Router { get; }

    /// <summary>The shard's VOICE_SERVER_UPDATE router.</summary>
    public VoiceRouter Voice { get; }

    /// <summary>The ring reader (null before the snapshot).</summary>
    public RingReader? Reader { get; private set; }

    /// <summary>Client seq → ring position, for RESUME.</summary>
    public SequenceMap Map { get; } = new();

    /// <summary>The producer hold while the client catches up after its burst or a RESUME; null once released.</summary>
    public SnapshotHold? Hold => _hold;

    /// <summary>During a RESUME replay, the ring position after which RESUMED is sent; <see cref="NoResume"/> otherwise.</summary>
    public long ResumeTarget => _resumeTarget;

    /// <summary>True while a RESUME replay has not reached <see cref="ResumeTarget"/>.</summary>
    public bool IsReplaying => _resumeTarget != NoResume;

    /// <summary>The attached worker's index for <see cref="Ring"/> (the worker's own bookkeeping).</summary>
    public int RingSlot { get; set; }

    /// <summary>Positions a fresh session: client seq <paramref name="seq"/> (its last GUILD_CREATE) stands for ring
    /// <paramref name="position"/> (the snapshot's), and live events are read by <paramref name="reader"/>.</summary>
    public void StartAt(RingReader reader, long seq, long position)
    {
        Reader?.Dispose();
        Reader = reader;
        Map.Reset(seq, position);
        // No RESUME of this session can reach back to the snapshot or before it: the ring need not keep those for it.
        _origin?.Dispose();
        _origin = Ring.Pin(position);
    }

    /// <summary>Positions a resumed session: the client saw up to <paramref name="seq"/>, and
    /// <paramref name="reader"/> reads from the ring position after it.</summary>
    public void ResumeAt(RingReader reader, long seq)
    {
        Reader?.Dispose();
        Reader = reader;
        Map.TruncateAfter(seq);
    }

    /// <summary>Sets what this attachment starts with: the producer hold (if any) and the RESUME target.</summary>
    public void Begin(SnapshotHold? hold, long resumeTarget)
    {
        _hold = hold;
        _resumeTarget = resumeTarget;
    }

    /// <summary>Records that client seq <paramref name="clientSeq"/> was sent for ring position <paramref name="position"/>
    /// (the session's <see cref="ClientSession.Seq"/> is the caller's to advance).</summary>
    public void Sent(long clientSeq, long position) => Map.Record(clientSeq, position);

    /// <summary>Records RESUMED as client seq <paramref name="clientSeq"/> and ends the replay.</summary>
    public void Resumed(long clientSeq)
    {
        // RESUMED is not a ring event: a RESUME from its seq restarts after the replay's end.
        Sent(clientSeq, _resumeTarget);
        _resumeTarget = NoResume;
    }

    /// <summary>Releases the producer hold, if any.</summary>
    public void ReleaseHold()
    {
        SnapshotHold? hold = _hold;
        _hold = null;
        hold?.Release();
    }

    /// <summary>True when the ring no longer holds the next event the client needs (or no reader was ever set up).</summary>
    public bool CannotContinue => Reader is not null && Reader.IsOverrun(Reader.Position + 1);

    /// <summary>Disposes the reader and the session's retention pin (the session ended).</summary>
    public void DisposeReader()
    {
        Reader?.Dispose();
        _origin?.Dispose();
    }
}
