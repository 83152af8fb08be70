using System.Globalization;
using System.Text;

namespace GatewayProxy.Perf.Ingress;

/// <summary>Discord-shaped payloads for the cache benchmarks: realistic member, channel and role objects.</summary>
internal static class CacheBenchmarkData
{
    public const ulong BotId = 900_000_000_000_000_001;

    public static string Ready(params ulong[] guildIds)
    {
        var sb = new StringBuilder();
        sb.Append("{\"v\":10,\"user\":{\"id\":\"").Append(BotId).Append("\",\"username\":\"bot\",\"discriminator\":\"0\",\"bot\":true},\"guilds\":[");
        for (int i = 0; i < guildIds.Length; i++)
        {
            sb.Append(i == 0 ? "" : ",").Append("{\"id\":\"").Append(guildIds[i]).Append("\",\"unavailable\":true}");
        }

        return sb.Append("],\"session_id\":\"s\",\"application\":{\"id\":\"").Append(BotId).Append("\",\"flags\":0}}").ToString();
    }

    public static string Member(ulong guildId, ulong userId, bool withGuildId, int variant = 0)
    {
        var sb = new StringBuilder(600);
        sb.Append('{');
        if (withGuildId)
        {
            sb.Append("\"guild_id\":\"").Append(guildId).Append("\",");
        }

        sb.Append("\"user\":{\"id\":\"").Append(userId)
          .Append("\",\"username\":\"user").Append(userId % 100000)
          .Append("\",\"global_name\":\"User ").Append(userId % 100000)
          .Append("\",\"discriminator\":\"0\",\"avatar\":\"8f2b1c9d3e4f5a6b7c8d9e0f1a2b3c4d\",\"public_flags\":0,\"avatar_decoration_data\":null,\"clan\":null,\"primary_guild\":null,\"collectibles\":null,\"display_name_styles\":null},")
          .Append("\"roles\":[").Append(userId % 3 == 0 ? "\"" + (guildId + 1).ToString(CultureInfo.InvariantCulture) + "\"" : "").Append("],")
          .Append("\"nick\":").Append(userId % 7 == 0 ? "\"nick" + variant.ToString(CultureInfo.InvariantCulture) + "\"" : "null")
          .Append(",\"avatar\":null,\"banner\":null,\"premium_since\":null,\"joined_at\":\"2021-03-04T05:06:07.123000+00:00\",\"pending\":false,\"deaf\":false,\"mute\":false,\"communication_disabled_until\":null,\"flags\":").Append(variant).Append('}');
        return sb.ToString();
    }

    public static string Guild(ulong guildId, int members, int channels = 40, int roles = 20)
    {
        var sb = new StringBuilder(members * 600 + 20000);
        sb.Append("{\"id\":\"").Append(guildId)
          .Append("\",\"name\":\"Guild ").Append(guildId)
          .Append("\",\"icon\":\"0123456789abcdef0123456789abcdef\",\"description\":null,\"splash\":null,\"discovery_splash\":null,\"banner\":null,\"owner_id\":\"1\",\"region\":\"deprecated\",\"afk_channel_id\":null,\"afk_timeout\":300,\"verification_level\":1,\"default_message_notifications\":1,\"explicit_content_filter\":2,\"features\":[\"COMMUNITY\",\"NEWS\"],\"mfa_level\":0,\"application_id\":null,\"system_channel_id\":null,\"system_channel_flags\":0,\"rules_channel_id\":null,\"max_members\":500000,\"vanity_url_code\":null,\"premium_tier\":0,\"premium_subscription_count\":0,\"preferred_locale\":\"en-US\",\"public_updates_channel_id\":null,\"nsfw_level\":0,\"premium_progress_bar_enabled\":false,\"safety_alerts_channel_id\":null,")
          .Append("\"joined_at\":\"2021-02-03T04:05:06.000000+00:00\",\"large\":").Append(members > 50 ? "true" : "false")
          .Append(",\"unavailable\":false,\"member_count\":").Append(members + 1).Append(",\"members\":[");
        sb.Append(Member(guildId, BotId, false));
        for (int i = 0; i < members; i++)
        {
            sb.Append(',').Append(Member(guildId, guildId + 1000 + (ulong)i, false));
        }

        sb.Append("],\"channels\":[");
        for (int i = 0; i < channels; i++)
        {
            sb.Append(i == 0 ? "" : ",").Append("{\"id\":\"").Append(guildId + 100 + (ulong)i)
              .Append("\",\"type\":0,\"name\":\"channel-").Append(i)
              .Append("\",\"position\":").Append(i)
              .Append(",\"parent_id\":null,\"topic\":null,\"nsfw\":false,\"last_message_id\":\"1234567890123456789\",\"rate_limit_per_user\":0,\"flags\":0,\"permission_overwrites\":[{\"id\":\"").Append(guildId).Append("\",\"type\":0,\"allow\":\"0\",\"deny\":\"1024\"}]}");
        }

        sb.Append("],\"roles\":[");
        for (int i = 0; i < roles; i++)
        {
            sb.Append(i == 0 ? "" : ",").Append("{\"id\":\"").Append(guildId + (ulong)i)
              .Append("\",\"name\":\"role-").Append(i)
              .Append("\",\"color\":").Append(i * 1000)
              .Append(",\"hoist\":false,\"icon\":null,\"unicode_emoji\":null,\"position\":").Append(i)
              .Append(",\"permissions\":\"1071698660929\",\"managed\":false,\"mentionable\":false,\"flags\":0}");
        }

        sb.Append("],\"emojis\":[],\"stickers\":[],\"threads\":[],\"presences\":[],\"voice_states\":[],\"stage_instances\":[],\"guild_scheduled_events\":[],\"soundboard_sounds\":[]}");
        return sb.ToString();
    }

    public static byte[] Envelope(string t, long seq, string d) =>
        Encoding.UTF8.GetBytes("{\"t\":\"" + t + "\",\"s\":" + seq.ToString(CultureInfo.InvariantCulture) + ",\"op\":0,\"d\":" + d + "}");
}
