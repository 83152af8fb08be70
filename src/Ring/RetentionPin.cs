namespace GatewayProxy.Ring;

/// <summary>Marks where a client session started reading a payload ring: the session may RESUME into any event after
/// <see cref="Position"/>, never into one at or before it. The age rule of retention keeps events only after the
/// oldest live pin, so what was published before every session's start (a shard's start-up GUILD_CREATE burst, say)
/// is freed once the readers have passed it, instead of being kept for the whole session TTL.</summary>
/// <remarks>A pin never keeps an event by itself: it only bounds which events the age rule may keep (docs/architecture.md,
/// "Ring memory"). Dispose it when the session ends.</remarks>
public sealed class RetentionPin : IDisposable
{
    private readonly RingSequencer _sequencer;
    private int _disposed;

    internal RetentionPin(RingSequencer sequencer, long position)
    {
        _sequencer = sequencer;
        Position = position;
    }

    /// <summary>The ring position the session started after.</summary>
    public long Position { get; }

    /// <summary>True once disposed.</summary>
    public bool IsDisposed => Volatile.Read(ref _disposed) != 0;

    /// <summary>Unregisters the pin (idempotent).</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0) _sequencer.RemovePin(this);
    }
}
