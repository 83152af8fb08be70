using System.Text.Json.Nodes;

namespace GatewayProxy.Simulator.Data;

/// <summary>Channel, role and guild events.</summary>
internal sealed partial class EventGenerator
{
    private bool ChannelCreate(GuildData guild, List<LiveEvent> output)
    {
        var categories = guild.ChannelsOfType(4);
        var texts = guild.ChannelsOfType(0);
        if (categories.Count == 0 || texts.Count >= 400)
        {
            return false;
        }

        var parent = Json.ToId(categories[0]["id"]);
        var channel = EntityFactory.Channel(_shard.Ids.Next(), 0, Names.Channel(Rng, 100 + Rng.Next(900)), texts.Count, parent);
        guild.ChannelArray.Add(channel);
        output.Add(new LiveEvent("CHANNEL_CREATE", WithGuild(channel, guild)));
        return true;
    }

    private bool ChannelUpdate(GuildData guild, List<LiveEvent> output)
    {
        var texts = guild.ChannelsOfType(0);
        if (texts.Count == 0)
        {
            return false;
        }

        var channel = Pick(texts);
        if (Rng.Next(2) == 0)
        {
            channel["topic"] = Names.Sentence(Rng);
        }
        else
        {
            channel["rate_limit_per_user"] = Rng.Next(2) * 5;
        }

        output.Add(new LiveEvent("CHANNEL_UPDATE", WithGuild(channel, guild)));
        return true;
    }

    private bool ChannelDelete(GuildData guild, List<LiveEvent> output)
    {
        // Keep the guild usable: never the system channel, never one with threads, never below two text channels.
        var texts = guild.ChannelsOfType(0);
        if (texts.Count <= 2)
        {
            return false;
        }

        var system = Json.Str(guild.Guild, "system_channel_id");
        JsonObject? victim = null;
        var start = Rng.Next(texts.Count);
        for (var i = 0; i < texts.Count && victim is null; i++)
        {
            var candidate = texts[(start + i) % texts.Count];
            var id = Json.Str(candidate, "id");
            if (id != system && !HasThreads(guild, id!))
            {
                victim = candidate;
            }
        }

        if (victim is null)
        {
            return false;
        }

        var victimId = Json.Str(victim, "id");
        guild.ChannelArray.Remove(victim);
        guild.RecentMessages.RemoveAll(m => Json.Str(m, "channel_id") == victimId);
        output.Add(new LiveEvent("CHANNEL_DELETE", WithGuild(victim, guild)));
        return true;
    }

    private bool RoleCreate(GuildData guild, List<LiveEvent> output)
    {
        if (guild.RoleArray.Count >= 250)
        {
            return false;
        }

        var color = Rng.Next(0x1000000);
        var role = EntityFactory.Role(_shard.Ids.Next(), Names.Pair(Rng), color, guild.RoleArray.Count, "0", managed: false, botId: null);
        guild.RoleArray.Add(role);
        output.Add(new LiveEvent("GUILD_ROLE_CREATE", new JsonObject { ["guild_id"] = guild.IdString, ["role"] = role.DeepClone() }));
        return true;
    }

    private bool RoleUpdate(GuildData guild, List<LiveEvent> output)
    {
        var candidates = AssignableRoles(guild);
        if (candidates.Count == 0)
        {
            return false;
        }

        var role = GuildData.FindById(guild.RoleArray, Pick(candidates))!;
        var color = Rng.Next(0x1000000);
        role["color"] = color;
        role["colors"] = new JsonObject { ["primary_color"] = color, ["secondary_color"] = null, ["tertiary_color"] = null };
        role["mentionable"] = Rng.Next(2) == 0;
        output.Add(new LiveEvent("GUILD_ROLE_UPDATE", new JsonObject { ["guild_id"] = guild.IdString, ["role"] = role.DeepClone() }));
        return true;
    }

    private bool RoleDelete(GuildData guild, List<LiveEvent> output)
    {
        // Only roles nobody holds: Discord sends no member updates when a role goes, so this keeps caches exact.
        var candidates = AssignableRoles(guild);
        foreach (var node in guild.MemberArray)
        {
            foreach (var held in (JsonArray)node!["roles"]!)
            {
                candidates.Remove(held!.GetValue<string>());
            }
        }

        if (candidates.Count == 0)
        {
            return false;
        }

        var id = Pick(candidates);
        guild.RoleArray.Remove(GuildData.FindById(guild.RoleArray, id));
        output.Add(new LiveEvent("GUILD_ROLE_DELETE", new JsonObject { ["guild_id"] = guild.IdString, ["role_id"] = id }));
        return true;
    }

    private bool GuildUpdate(GuildData guild, List<LiveEvent> output)
    {
        if (Rng.Next(2) == 0)
        {
            guild.Guild["name"] = $"{Names.Pair(Rng)} guild";
        }
        else
        {
            guild.Guild["description"] = Names.Sentence(Rng);
        }

        output.Add(new LiveEvent("GUILD_UPDATE", GuildViews.GuildUpdate(guild)));
        return true;
    }

    private static bool GuildOutage(GuildData guild, List<LiveEvent> output)
    {
        // A short outage: the guild becomes unavailable, then comes back whole.
        output.Add(new LiveEvent("GUILD_DELETE", new JsonObject { ["id"] = guild.IdString, ["unavailable"] = true }));
        output.Add(new LiveEvent(guild));
        return true;
    }

    private static bool HasThreads(GuildData guild, string channelId)
    {
        foreach (var node in guild.ThreadArray)
        {
            if (Json.Str((JsonObject)node!, "parent_id") == channelId)
            {
                return true;
            }
        }

        return false;
    }

    private static JsonObject WithGuild(JsonObject channel, GuildData guild)
    {
        var copy = Json.Clone(channel);
        copy["guild_id"] = guild.IdString;
        return copy;
    }
}
