using System.Text.Json.Nodes;

namespace GatewayProxy.Simulator.Data;

/// <summary>What every guild of a world is generated from besides its own draws: the options, the bot and the shared user pool.</summary>
/// <remarks>Immutable once built, so guilds can be generated again from any thread (users are kept as id and name, not as
/// shared JSON nodes that concurrent readers would clone).</remarks>
internal sealed class WorldTemplate
{
    /// <summary>A world of <paramref name="options"/> whose bot is <paramref name="botId"/> and whose users are <paramref name="users"/>.</summary>
    public WorldTemplate(SimulatorOptions options, ulong botId, (ulong Id, string Name)[] users)
    {
        Options = options;
        BotId = botId;
        BotIdString = Json.Id(botId).GetValue<string>();
        Users = users;
    }

    /// <summary>The Simulator's options.</summary>
    public SimulatorOptions Options { get; }

    /// <summary>The bot user's id.</summary>
    public ulong BotId { get; }

    /// <summary>The bot user's id as Discord writes it.</summary>
    public string BotIdString { get; }

    /// <summary>Users that guilds draw their members from (users are shared across guilds, as on Discord).</summary>
    public (ulong Id, string Name)[] Users { get; }

    /// <summary>The bot's user object as a member lists it.</summary>
    public JsonObject BotMemberUser() => EntityFactory.User(BotId, "SimBot", bot: true);

    /// <summary>member_count of a guild of this shape: the bot and as many pool users as fit.</summary>
    public int MemberCount(GuildShape shape) => 1 + Math.Min(shape.Members - 1, Users.Length);
}
