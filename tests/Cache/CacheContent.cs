using System.Globalization;
using System.Text;
using GatewayProxy.Cache;

namespace GatewayProxy.Tests.Cache;

/// <summary>A snapshot's whole content as text, independent of the order the cache keeps entities in.</summary>
internal static class CacheContent
{
    /// <summary>Bot user, then every guild (ascending) with availability, member count, properties and each kind's entities by ascending id.</summary>
    public static string Describe(CacheSnapshot snapshot)
    {
        var text = new StringBuilder();
        text.Append("user ").Append(Encoding.UTF8.GetString(snapshot.BotUserJson)).Append('\n');
        text.Append("application ").Append(Encoding.UTF8.GetString(snapshot.ApplicationJson)).Append('\n');
        foreach (ulong guildId in snapshot.GuildIds)
        {
            text.Append(CultureInfo.InvariantCulture, $"guild {guildId}");
            if (snapshot.IsUnavailable(guildId))
            {
                text.Append(" unavailable\n");
                continue;
            }

            snapshot.TryGetGuildProperties(guildId, out ReadOnlyMemory<byte> properties);
            text.Append(CultureInfo.InvariantCulture, $" members {snapshot.GetMemberCount(guildId)} ").Append(Encoding.UTF8.GetString(properties.Span)).Append('\n');
            foreach (CacheEntityKind kind in Enum.GetValues<CacheEntityKind>())
            {
                foreach (ulong id in snapshot.GetIds(guildId, kind))
                {
                    snapshot.TryGetEntity(guildId, kind, id, out ReadOnlyMemory<byte> json);
                    text.Append(CultureInfo.InvariantCulture, $"  {kind} {id} ").Append(Encoding.UTF8.GetString(json.Span)).Append('\n');
                }
            }
        }

        return text.ToString();
    }
}
