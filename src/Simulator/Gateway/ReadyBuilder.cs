using System.Text.Json.Nodes;
using GatewayProxy.Simulator.Data;

namespace GatewayProxy.Simulator.Gateway;

/// <summary>Builds READY's <c>d</c> with every field Discord's READY carries (docs/architecture.md, "Gateway facts"; plus the ones real traffic adds that libraries read).</summary>
internal static class ReadyBuilder
{
    /// <summary>READY for a new session on a shard.</summary>
    public static JsonObject Build(SimulatorState state, ShardData shard, string sessionId, string resumeGatewayUrl, int shardId, int shardCount)
    {
        var guilds = new JsonArray();
        foreach (var guild in shard.Guilds)
        {
            guilds.Add(new JsonObject { ["unavailable"] = true, ["id"] = guild.IdString });
        }

        return new JsonObject
        {
            ["v"] = 10,
            ["user_settings"] = new JsonObject(),
            ["user"] = state.BotUser,
            ["session_type"] = "normal",
            ["session_id"] = sessionId,
            ["resume_gateway_url"] = resumeGatewayUrl,
            ["relationships"] = new JsonArray(),
            ["private_channels"] = new JsonArray(),
            ["presences"] = new JsonArray(),
            ["guilds"] = guilds,
            ["guild_join_requests"] = new JsonArray(),
            ["geo_ordered_rtc_regions"] = new JsonArray("rotterdam", "frankfurt", "london", "madrid", "milan"),
            ["game_relationships"] = new JsonArray(),
            ["auth"] = new JsonObject(),
            ["application"] = state.Application,
            ["_trace"] = new JsonArray("[\"gateway-simulator\",{\"micros\":0,\"calls\":[]}]"),
            ["shard"] = new JsonArray(shardId, shardCount),
        };
    }
}
