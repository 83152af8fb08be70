namespace GatewayProxy.Simulator.Data;

/// <summary>Which part of <see cref="SimulatorOptions.GuildSizeMix"/> a guild was drawn from.</summary>
public enum GuildSize
{
    /// <summary>Sized by the options' per-guild counts (the mix is off).</summary>
    Fixed,

    /// <summary>10–100 members, a few channels and roles: most of a large bot's guilds.</summary>
    Small,

    /// <summary>251–1,000 members (over Discord's largest large_threshold, 250).</summary>
    Large,

    /// <summary>1,000–5,000 members with channels and roles in the hundreds.</summary>
    Huge,
}

/// <summary>How big one guild is: member, text channel, voice channel and role counts (roles besides @everyone and the bot's).</summary>
internal readonly record struct GuildShape(GuildSize Size, int Members, int TextChannels, int VoiceChannels, int Roles)
{
    /// <summary>Per mille of guilds drawn small and large; the rest are huge.</summary>
    public const int SmallPerMille = 900;

    /// <summary>See <see cref="SmallPerMille"/>.</summary>
    public const int LargePerMille = 90;

    /// <summary>The most members a mixed guild can have (the user pool must hold them).</summary>
    public const int MaxMixedMembers = 5000;

    /// <summary>Every guild the same, from the options.</summary>
    public static GuildShape FromOptions(SimulatorOptions options) =>
        new(GuildSize.Fixed, options.MembersPerGuild, options.TextChannelsPerGuild, options.VoiceChannelsPerGuild, options.RolesPerGuild);

    /// <summary>A shape drawn from the mix of a large bot: 90% small, 9% large, 1% huge.</summary>
    public static GuildShape Draw(Random rng)
    {
        var pick = rng.Next(1000);
        if (pick < SmallPerMille)
        {
            return new(GuildSize.Small, 10 + rng.Next(91), 2 + rng.Next(7), 1 + rng.Next(3), 1 + rng.Next(10));
        }

        if (pick < SmallPerMille + LargePerMille)
        {
            return new(GuildSize.Large, 251 + rng.Next(750), 8 + rng.Next(33), 2 + rng.Next(7), 10 + rng.Next(31));
        }

        return new(GuildSize.Huge, 1000 + rng.Next(MaxMixedMembers - 999), 100 + rng.Next(301), 20 + rng.Next(81), 100 + rng.Next(151));
    }
}
