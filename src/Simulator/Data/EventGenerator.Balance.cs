namespace GatewayProxy.Simulator.Data;

/// <summary>Steady-state mode: entity counts hover around each guild's starting counts (for soak runs).</summary>
internal sealed partial class EventGenerator
{
    private readonly Dictionary<ulong, (int Members, int Channels, int Roles)> _startCounts = [];

    /// <summary>Turns a create into its delete when the guild is above its starting count, and a delete into a create below it.</summary>
    private Kind Balance(Kind kind, GuildData guild)
    {
        if (!_startCounts.TryGetValue(guild.Id, out (int Members, int Channels, int Roles) start))
        {
            start = (guild.Members.Count, guild.ChannelArray.Count, guild.RoleArray.Count);
            _startCounts[guild.Id] = start;
        }

        return kind switch
        {
            Kind.MemberAdd when guild.Members.Count > start.Members => Kind.MemberRemove,
            Kind.MemberRemove when guild.Members.Count < start.Members => Kind.MemberAdd,
            Kind.ChannelCreate when guild.ChannelArray.Count > start.Channels => Kind.ChannelDelete,
            Kind.ChannelDelete when guild.ChannelArray.Count < start.Channels => Kind.ChannelCreate,
            Kind.RoleCreate when guild.RoleArray.Count > start.Roles => Kind.RoleDelete,
            Kind.RoleDelete when guild.RoleArray.Count < start.Roles => Kind.RoleCreate,
            _ => kind,
        };
    }
}
