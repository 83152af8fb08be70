namespace GatewayProxy.Ring;

/// <summary>Outcome of polling a reader for its next batch.</summary>
public enum RingReadStatus
{
    /// <summary>Nothing published after the reader's position yet.</summary>
    Empty = 0,

    /// <summary>A batch is available.</summary>
    Ready = 1,

    /// <summary>The reader's next sequence has been overwritten: it lost events and must stop.</summary>
    Overrun = 2,
}
