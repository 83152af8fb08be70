namespace GatewayProxy.Ring;

/// <summary>A reader the producer waits for: it never loses an event. Keep these few (the cache updater, at most
/// one per egress worker): the producer's wrap check reads every gating position.</summary>
public sealed class GatingReader : RingConsumer
{
    internal GatingReader(RingSequencer sequencer, long startAfter)
        : base(sequencer, startAfter)
    {
    }

    /// <summary>The position as the producer sees it.</summary>
    internal ref PaddedSequence PositionSequence => ref _position;

    /// <inheritdoc/>
    public override bool TryGetBatch(int maxBatch, out long first, out long last) => TryGetRange(maxBatch, out first, out last);

    /// <inheritdoc/>
    public override void Advance(long toSequence)
    {
        CheckAdvance(toSequence);
        // Fence: the new position before reading the producer's waiting flag (pairs with the producer's fenced flag write).
        Interlocked.Exchange(ref _position.Raw, toSequence);
        Sequencer.OnGatingProgress();
    }

    private protected override void OnLeave() => Sequencer.RemoveGating(this);
}
