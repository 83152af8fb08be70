using GatewayProxy.Ingress.Shards;
using GatewayProxy.Protocol.Gateway;

namespace GatewayProxy.Ingress;

/// <summary>Client commands sent upstream through the connection's 120-per-60-s limiter.</summary>
public sealed partial class Shard
{
    /// <summary>Largest command Discord accepts.</summary>
    public const int MaxCommandBytes = 4096;

    /// <summary>Payloads the current connection has sent in the last 60 s (heartbeats and commands).</summary>
    public int SendsInWindow => _limiter.InWindow;

    /// <summary>
    /// Sends a client's op 3, 4, 8 or 31 upstream; false with a reason when the shard is not connected, the payload is
    /// not one of those, or the connection's send budget (120 per 60 s, minus the heartbeat reserve) is spent.
    /// </summary>
    public bool TrySendCommand(ReadOnlySpan<byte> payload, out string? reason)
    {
        ConnectionContext? ctx = Volatile.Read(ref _current);
        if (ctx is null || ctx.IsEnded || !ctx.SessionEstablished)
        {
            reason = $"shard {Id} is not connected upstream ({Status})";
            return false;
        }

        if (payload.Length > MaxCommandBytes)
        {
            reason = $"payload over {MaxCommandBytes} bytes";
            return false;
        }

        if (!EnvelopeScanner.TryScan(payload, out Envelope envelope, out EnvelopeError error))
        {
            reason = "invalid payload: " + error;
            return false;
        }

        if (envelope.Op is not ((int)GatewayOpcode.PresenceUpdate or (int)GatewayOpcode.VoiceStateUpdate
            or (int)GatewayOpcode.RequestGuildMembers or (int)GatewayOpcode.RequestSoundboardSounds))
        {
            reason = $"op {envelope.Op} is not forwarded upstream";
            return false;
        }

        if (!_limiter.TryAcquireCommand())
        {
            reason = $"rate limited: shard {Id} may send {_limiter.Limit - _limiter.Reserved} commands per 60 s";
            return false;
        }

        if (!ctx.Writer.TrySendText(payload))
        {
            reason = $"shard {Id} connection is closing";
            return false;
        }

        reason = null;
        return true;
    }
}
