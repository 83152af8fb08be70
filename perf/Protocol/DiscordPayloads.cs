using System.Globalization;
using System.Text;

namespace GatewayProxy.Perf.Protocol;

/// <summary>Deterministic, Discord-shaped dispatch payloads in wire order (compact, t/s/op/d) for benchmarks.</summary>
public static class DiscordPayloads
{
    /// <summary>A TYPING_START of about 200 bytes (without the member object Discord adds in guilds).</summary>
    public static byte[] TypingStart(long seq)
    {
        var d = new StringBuilder();
        d.Append("{\"user_id\":\"").Append(Id(1)).Append("\",\"timestamp\":1718000000,\"channel_id\":\"").Append(Id(2))
         .Append("\",\"guild_id\":\"").Append(Id(3)).Append("\"}");
        return Envelope("TYPING_START", seq, d.ToString());
    }

    /// <summary>A MESSAGE_CREATE of about 2 KB: author, member, an embed, mentions, a reference.</summary>
    public static byte[] MessageCreate(long seq)
    {
        var d = new StringBuilder();
        d.Append("{\"type\":0,\"tts\":false,\"timestamp\":\"2024-06-10T12:34:56.789000+00:00\",\"pinned\":false,\"nonce\":\"1249712345678901248\",")
         .Append("\"mentions\":[").Append(User(11)).Append("],\"mention_roles\":[\"").Append(Id(12)).Append("\"],\"mention_everyone\":false,")
         .Append("\"member\":{\"roles\":[\"").Append(Id(13)).Append("\",\"").Append(Id(14)).Append("\"],\"premium_since\":null,\"pending\":false,\"nick\":\"Caf\\u00e9 \\\"Bot\\\" tester\",\"mute\":false,\"joined_at\":\"2021-01-01T00:00:00.000000+00:00\",\"flags\":0,\"deaf\":false,\"communication_disabled_until\":null,\"avatar\":null},")
         .Append("\"id\":\"").Append(Id(15)).Append("\",\"flags\":0,")
         .Append("\"embeds\":[{\"type\":\"rich\",\"title\":\"Release notes 日本語\",\"description\":\"Line one with \\\"quotes\\\" and a \\\\backslash\\\\\\nLine two: {\\\"s\\\":123} is not a key 🎉\",\"color\":5814783,")
         .Append("\"fields\":[{\"name\":\"Version\",\"value\":\"10.0.1\",\"inline\":true},{\"name\":\"Changes\",\"value\":\"- faster splice\\n- fewer allocations\\n- zstd-stream\",\"inline\":false}],")
         .Append("\"footer\":{\"text\":\"gateway-proxy\",\"icon_url\":\"https://cdn.discordapp.com/embed/avatars/0.png\"},\"timestamp\":\"2024-06-10T12:00:00.000Z\"}],")
         .Append("\"edited_timestamp\":null,\"content\":\"Hello <@").Append(Id(11)).Append("> — see the embed below. Ünïcödé and emoji 👍🏽 are fine.\",")
         .Append("\"components\":[],\"channel_id\":\"").Append(Id(16)).Append("\",\"author\":").Append(User(17)).Append(',')
         .Append("\"attachments\":[{\"id\":\"").Append(Id(18)).Append("\",\"filename\":\"log.txt\",\"size\":4096,\"url\":\"https://cdn.discordapp.com/attachments/1/2/log.txt\",\"proxy_url\":\"https://media.discordapp.net/attachments/1/2/log.txt\",\"content_type\":\"text/plain; charset=utf-8\"}],")
         .Append("\"message_reference\":{\"type\":0,\"channel_id\":\"").Append(Id(16)).Append("\",\"message_id\":\"").Append(Id(19)).Append("\",\"guild_id\":\"").Append(Id(3)).Append("\"},")
         .Append("\"guild_id\":\"").Append(Id(3)).Append("\"}");
        return Envelope("MESSAGE_CREATE", seq, d.ToString());
    }

    /// <summary>A GUILD_CREATE of about 100 KB: roles, channels, members with users, presences.</summary>
    public static byte[] GuildCreate(long seq)
    {
        var d = new StringBuilder();
        d.Append("{\"id\":\"").Append(Id(3)).Append("\",\"name\":\"Benchmark Guild ✨\",\"icon\":null,\"owner_id\":\"").Append(Id(1))
         .Append("\",\"large\":true,\"member_count\":5000,\"joined_at\":\"2021-01-01T00:00:00.000000+00:00\",\"unavailable\":false,\"features\":[\"COMMUNITY\",\"NEWS\"],\"roles\":[");
        for (int i = 0; i < 40; i++)
        {
            d.Append(i == 0 ? "" : ",").Append("{\"id\":\"").Append(Id(100 + i)).Append("\",\"name\":\"role-").Append(i)
             .Append("\",\"color\":").Append(i * 4099).Append(",\"colors\":{\"primary_color\":").Append(i * 4099)
             .Append(",\"secondary_color\":null,\"tertiary_color\":null},\"hoist\":false,\"position\":").Append(i)
             .Append(",\"permissions\":\"1071698660929\",\"managed\":false,\"mentionable\":true,\"flags\":0}");
        }

        d.Append("],\"channels\":[");
        for (int i = 0; i < 80; i++)
        {
            d.Append(i == 0 ? "" : ",").Append("{\"id\":\"").Append(Id(200 + i)).Append("\",\"type\":0,\"name\":\"channel-").Append(i)
             .Append("\",\"topic\":\"Talk about \\\"topic ").Append(i).Append("\\\" here 💬\",\"position\":").Append(i)
             .Append(",\"parent_id\":null,\"nsfw\":false,\"rate_limit_per_user\":0,\"permission_overwrites\":[{\"id\":\"").Append(Id(100))
             .Append("\",\"type\":0,\"allow\":\"0\",\"deny\":\"1024\"}],\"last_message_id\":\"").Append(Id(300 + i)).Append("\"}");
        }

        d.Append("],\"members\":[");
        for (int i = 0; i < 180; i++)
        {
            d.Append(i == 0 ? "" : ",").Append("{\"user\":").Append(User(1000 + i)).Append(",\"roles\":[\"").Append(Id(100 + (i % 40)))
             .Append("\"],\"nick\":").Append(i % 3 == 0 ? "\"nick " + i.ToString(CultureInfo.InvariantCulture) + "\"" : "null")
             .Append(",\"joined_at\":\"2022-02-02T00:00:00.000000+00:00\",\"deaf\":false,\"mute\":false,\"flags\":0}");
        }

        d.Append("],\"presences\":[");
        for (int i = 0; i < 100; i++)
        {
            d.Append(i == 0 ? "" : ",").Append("{\"user\":{\"id\":\"").Append(Id(1000 + i)).Append("\"},\"status\":\"online\",\"client_status\":{\"desktop\":\"online\"},\"activities\":[{\"type\":0,\"name\":\"Game ")
             .Append(i).Append("\",\"created_at\":1718000000000}]}");
        }

        d.Append("],\"voice_states\":[],\"threads\":[],\"stage_instances\":[],\"guild_scheduled_events\":[],\"soundboard_sounds\":[]}");
        return Envelope("GUILD_CREATE", seq, d.ToString());
    }

    private static string Id(int n) => (81384788765712384L + (n * 4194304L)).ToString(CultureInfo.InvariantCulture);

    private static string User(int n) =>
        "{\"username\":\"user" + n.ToString(CultureInfo.InvariantCulture) + "\",\"public_flags\":0,\"id\":\"" + Id(n) +
        "\",\"global_name\":\"User \\u00e9 " + n.ToString(CultureInfo.InvariantCulture) + "\",\"discriminator\":\"0\",\"avatar\":\"a_1f2e3d4c5b6a79881f2e3d4c5b6a7988\",\"bot\":false}";

    private static byte[] Envelope(string t, long seq, string d) =>
        Encoding.UTF8.GetBytes("{\"t\":\"" + t + "\",\"s\":" + seq.ToString(CultureInfo.InvariantCulture) + ",\"op\":0,\"d\":" + d + "}");
}
