using System.Runtime.CompilerServices;

namespace GatewayProxy.Protocol.Gateway;

/// <summary>Which relayed dispatches one client asked for with its IDENTIFY intents: computed once, then one bit test per event.</summary>
/// <remarks>
/// The proxy's upstream intents are the union of what its bots need; a client that asked for fewer must not get the rest,
/// as Discord would not send them. Events gated by a guild intent or a DM intent (MESSAGE_CREATE, TYPING_START, reactions,
/// polls, CHANNEL_PINS_UPDATE) are decided by the guild id ingress found, when it found one: with a guild id only the guild
/// intent counts; without one (a DM, or an event whose guild ingress does not look up) either intent lets it through —
/// better an event a client did not ask for than a lost one.
/// </remarks>
public readonly struct IntentFilter
{
    private readonly EventKindSet _anywhere;
    private readonly EventKindSet _inGuild;

    private IntentFilter(EventKindSet anywhere, EventKindSet inGuild)
    {
        _anywhere = anywhere;
        _inGuild = inGuild;
    }

    /// <summary>Lets everything through (a client that sent no intents, or before IDENTIFY).</summary>
    public static IntentFilter All { get; } = new(EventKindSet.All, EventKindSet.All);

    /// <summary>The filter for a client that identified with <paramref name="intents"/>.</summary>
    public static IntentFilter For(long intents) =>
        new(GatewayIntents.Allowed(intents, inGuild: false), GatewayIntents.Allowed(intents, inGuild: true));

    /// <summary>True when the client gets an event of <paramref name="kind"/> in <paramref name="guildId"/> (0: unknown).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool Allows(EventKind kind, ulong guildId) => (guildId != 0 ? _inGuild : _anywhere).Contains(kind);
}
