using System.Runtime.InteropServices;
using GatewayProxy.Protocol.Gateway;

namespace GatewayProxy.Protocol.Events;

/// <summary>What ingress learned about one relayed dispatch, stored in its ring slot beside the payload.</summary>
/// <remarks>Found once at ingress so that no client ever scans the payload again: the splice needs
/// <see cref="Envelope"/>'s <c>s</c> range, routing needs the nonce range, the cache needs the guild.</remarks>
[StructLayout(LayoutKind.Sequential)]
public struct EventMeta
{
    /// <summary>The envelope scan of the payload (op, t, s and their byte ranges).</summary>
    public Envelope Envelope;
    /// <summary>The top-level <c>d.guild_id</c> (or <c>d.id</c> for GUILD_* events), 0 when none.</summary>
    public ulong GuildId;
    /// <summary>Start of the nonce string content (GUILD_MEMBERS_CHUNK <c>d.nonce</c>, RATE_LIMITED <c>d.meta.nonce</c>); -1 when none.</summary>
    public int NonceStart;
    /// <summary>Length of the nonce string content.</summary>
    public int NonceLength;
    /// <summary><see cref="System.Diagnostics.Stopwatch.GetTimestamp"/> when the frame was decoded, for latency metrics.</summary>
    public long ReceivedTimestamp;

    /// <summary>Metadata with no guild and no nonce.</summary>
    public static EventMeta From(in Envelope envelope) => new() { Envelope = envelope, NonceStart = -1 };

    /// <summary>True when a nonce range was found.</summary>
    public readonly bool HasNonce => NonceStart >= 0;
}
