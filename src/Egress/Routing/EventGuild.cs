using GatewayProxy.Protocol.Gateway;

namespace GatewayProxy.Egress.Routing;

/// <summary>The guild of a relayed event that ingress did not look up (it records <c>guild_id</c> only for the events the
/// cache and reply routing need): a structural scan of <c>d</c>'s top level, no parse.</summary>
/// <remarks>Used by virtual-shard clients only, so clients at the upstream shard count never pay for it. The payload may be
/// read in place from a slot being overwritten: the ranges are checked, the caller validates the slot after deciding.</remarks>
internal static class EventGuild
{
    /// <summary><c>d.guild_id</c>, or 0 when there is none (a DM, USER_UPDATE, ...).</summary>
    public static ulong Find(ReadOnlySpan<byte> payload, in Envelope envelope)
    {
        int start = envelope.DataStart;
        int length = envelope.DataLength;
        if (start < 0 || (uint)start > (uint)payload.Length || (uint)length > (uint)(payload.Length - start)) return 0;
        ReadOnlySpan<byte> data = payload.Slice(start, length);
        return EnvelopeScanner.TryFindProperty(data, "guild_id"u8, out int valueStart, out int valueLength, out _)
            && EnvelopeScanner.TryParseSnowflake(data.Slice(valueStart, valueLength), out ulong id) ? id : 0;
    }
}
