namespace GatewayProxy.Ring;

/// <summary>A ring slot of the proxy: one upstream payload (written in place) and what ingress learned about it.</summary>
/// <typeparam name="TMeta">The metadata stored beside the payload (e.g. EventMeta).</typeparam>
/// <remarks>Fields, not properties: the producer fills <see cref="Meta"/> in place and readers take it by reference.</remarks>
public sealed class PayloadSlot<TMeta>
{
    /// <summary>The payload bytes; reset by the producer before each reuse.</summary>
    public SlotBuffer Payload = new();

    /// <summary>The metadata of the payload.</summary>
    public TMeta Meta = default!;
}
