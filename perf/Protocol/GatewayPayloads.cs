using System.Globalization;
using System.Text;

namespace GatewayProxy.Perf.Protocol;

/// <summary>Deterministic gateway-like dispatch payloads for benchmarks: same shape as Discord's, invented content.</summary>
public static class GatewayPayloads
{
    private static readonly string[] Words = ["hello", "world", "gateway", "shard", "proxy", "guild", "channel", "ping", "pong", "lol", "ok", "👍", "ça va", "release", "deploy"];

    /// <summary>A MESSAGE_CREATE dispatch of about <paramref name="approxSize"/> bytes.</summary>
    public static byte[] MessageCreate(int approxSize, int seed)
    {
        var random = new Random(seed);
        var sb = new StringBuilder(approxSize + 512);
        sb.Append("{\"t\":\"MESSAGE_CREATE\",\"s\":").Append(random.Next(1, 1_000_000)).Append(",\"op\":0,\"d\":{\"type\":0,\"tts\":false,\"timestamp\":\"2025-06-0")
          .Append(random.Next(1, 9)).Append("T12:34:56.789000+00:00\",\"pinned\":false,\"nonce\":\"").Append(Snowflake(random))
          .Append("\",\"mentions\":[],\"mention_roles\":[],\"mention_everyone\":false,\"member\":{\"roles\":[\"").Append(Snowflake(random))
          .Append("\"],\"premium_since\":null,\"pending\":false,\"nick\":null,\"mute\":false,\"joined_at\":\"2023-01-01T00:00:00.000000+00:00\",\"flags\":0,\"deaf\":false,\"avatar\":null},")
          .Append("\"id\":\"").Append(Snowflake(random)).Append("\",\"flags\":0,\"embeds\":[],\"edited_timestamp\":null,\"content\":\"");
        AppendWords(random, sb, 12);
        sb.Append("\",\"components\":[],\"channel_id\":\"").Append(Snowflake(random)).Append("\",\"author\":");
        AppendUser(random, sb);
        sb.Append(",\"attachments\":[],\"guild_id\":\"").Append(Snowflake(random)).Append("\",\"embeds_extra\":[");
        bool first = true;
        while (sb.Length < approxSize - 16)
        {
            if (!first)
            {
                sb.Append(',');
            }

            first = false;
            sb.Append("{\"type\":\"rich\",\"title\":\"");
            AppendWords(random, sb, 4);
            sb.Append("\",\"color\":").Append(random.Next(0xFFFFFF)).Append('}');
        }

        sb.Append("]}}");
        return Encoding.UTF8.GetBytes(sb.ToString());
    }

    /// <summary>A GUILD_CREATE dispatch of about <paramref name="approxSize"/> bytes (roles, channels, members).</summary>
    public static byte[] GuildCreate(int approxSize, int seed)
    {
        var random = new Random(seed);
        var sb = new StringBuilder(approxSize + 512);
        string guildId = Snowflake(random);
        sb.Append("{\"t\":\"GUILD_CREATE\",\"s\":").Append(random.Next(1, 100)).Append(",\"op\":0,\"d\":{\"id\":\"").Append(guildId)
          .Append("\",\"name\":\"");
        AppendWords(random, sb, 3);
        sb.Append("\",\"large\":false,\"unavailable\":false,\"member_count\":").Append(random.Next(10, 5000)).Append(",\"roles\":[");
        for (int i = 0; i < 20; i++)
        {
            sb.Append(i == 0 ? "" : ",").Append("{\"id\":\"").Append(Snowflake(random)).Append("\",\"name\":\"");
            AppendWords(random, sb, 2);
            sb.Append("\",\"permissions\":\"").Append(random.NextInt64()).Append("\",\"position\":").Append(i)
              .Append(",\"color\":").Append(random.Next(0xFFFFFF)).Append(",\"colors\":{\"primary_color\":").Append(random.Next(0xFFFFFF))
              .Append(",\"secondary_color\":null,\"tertiary_color\":null},\"hoist\":false,\"managed\":false,\"mentionable\":true,\"flags\":0}");
        }

        sb.Append("],\"channels\":[");
        for (int i = 0; i < 40; i++)
        {
            sb.Append(i == 0 ? "" : ",").Append("{\"id\":\"").Append(Snowflake(random)).Append("\",\"type\":").Append(random.Next(0, 6))
              .Append(",\"name\":\"");
            AppendWords(random, sb, 2);
            sb.Append("\",\"position\":").Append(i).Append(",\"parent_id\":\"").Append(Snowflake(random))
              .Append("\",\"permission_overwrites\":[],\"nsfw\":false,\"rate_limit_per_user\":0,\"topic\":null}");
        }

        sb.Append("],\"members\":[");
        bool first = true;
        while (sb.Length < approxSize - 32)
        {
            sb.Append(first ? "" : ",").Append("{\"user\":");
            first = false;
            AppendUser(random, sb);
            sb.Append(",\"roles\":[\"").Append(Snowflake(random)).Append("\"],\"joined_at\":\"2024-0").Append(random.Next(1, 9))
              .Append("-1").Append(random.Next(0, 9)).Append("T10:00:00.000000+00:00\",\"deaf\":false,\"mute\":false,\"flags\":0,\"pending\":false,\"nick\":null}");
        }

        sb.Append("]}}");
        return Encoding.UTF8.GetBytes(sb.ToString());
    }

    private static void AppendUser(Random random, StringBuilder sb)
    {
        sb.Append("{\"username\":\"");
        AppendWords(random, sb, 1);
        sb.Append(random.Next(1000)).Append("\",\"public_flags\":0,\"id\":\"").Append(Snowflake(random))
          .Append("\",\"global_name\":null,\"discriminator\":\"0\",\"avatar_decoration_data\":null,\"avatar\":\"")
          .Append(random.NextInt64().ToString("x16", CultureInfo.InvariantCulture)).Append(random.NextInt64().ToString("x16", CultureInfo.InvariantCulture)).Append("\"}");
    }

    private static void AppendWords(Random random, StringBuilder sb, int count)
    {
        for (int i = 0; i < count; i++)
        {
            sb.Append(i == 0 ? "" : " ").Append(Words[random.Next(Words.Length)]);
        }
    }

    private static string Snowflake(Random random) => random.NextInt64(100_000_000_000_000_000, 1_400_000_000_000_000_000).ToString(CultureInfo.InvariantCulture);
}
