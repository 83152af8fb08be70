namespace GatewayProxy.Ingress.Shards;

/// <summary>Why <see cref="UpstreamReceiver.Process"/> returned.</summary>
internal enum ReceiveStatus
{
    /// <summary>Every complete frame was consumed; read more.</summary>
    NeedMoreData,
    /// <summary>A dispatch was published and the ring is full: claim a slot (async) before reading on.</summary>
    NeedSlot,
    /// <summary>The connection is ending.</summary>
    Ended,
}
