namespace GatewayProxy.Protocol.Compression;

/// <summary>Outcome of feeding one received message to an <see cref="IMessageDecoder"/>.</summary>
public enum DecodeStatus
{
    /// <summary>The message was buffered; the payload continues in a later message.</summary>
    NeedMoreData,
    /// <summary>A whole payload was written to the output.</summary>
    Complete,
    /// <summary>The data is invalid or too large; see <see cref="IMessageDecoder.Error"/>. The decoder stays invalid.</summary>
    Invalid,
}
