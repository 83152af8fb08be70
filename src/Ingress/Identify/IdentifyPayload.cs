using System.Buffers;
using System.Text.Json;

namespace GatewayProxy.Ingress.Identify;

/// <summary>Builds the upstream IDENTIFY (op 2): token, properties, shard, presence, intents and large_threshold 250.</summary>
/// <remarks>large_threshold is Discord's maximum (250) so the cache receives every member a client with any threshold may
/// need; the per-client threshold is applied when a client's GUILD_CREATE is written from the cache.</remarks>
public static class IdentifyPayload
{
    /// <summary>The large_threshold sent upstream.</summary>
    public const int LargeThreshold = 250;

    /// <summary>Writes <c>{"op":2,"d":{…}}</c> for shard <paramref name="shardId"/> of <paramref name="shardCount"/>.</summary>
    public static void Write(IBufferWriter<byte> output, string token, uint intents, int shardId, int shardCount, PresenceSettings presence)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentException.ThrowIfNullOrWhiteSpace(token);
        ArgumentNullException.ThrowIfNull(presence);
        using var w = new Utf8JsonWriter(output);
        w.WriteStartObject();
        w.WriteNumber("op"u8, 2);
        w.WriteStartObject("d"u8);
        w.WriteString("token"u8, StripBotPrefix(token));
        w.WriteStartObject("properties"u8);
        w.WriteString("os"u8, OperatingSystemName());
        w.WriteString("browser"u8, "GatewayProxy"u8);
        w.WriteString("device"u8, "GatewayProxy"u8);
        w.WriteEndObject();
        w.WriteBoolean("compress"u8, false);
        w.WriteNumber("large_threshold"u8, LargeThreshold);
        w.WriteStartArray("shard"u8);
        w.WriteNumberValue(shardId);
        w.WriteNumberValue(shardCount);
        w.WriteEndArray();
        WritePresence(w, presence, shardId);
        w.WriteNumber("intents"u8, intents);
        w.WriteEndObject();
        w.WriteEndObject();
    }

    /// <summary>The token as IDENTIFY wants it: without a <c>Bot </c> prefix.</summary>
    public static string StripBotPrefix(string token) =>
        token.StartsWith("Bot ", StringComparison.OrdinalIgnoreCase) ? token[4..] : token;

    private static void WritePresence(Utf8JsonWriter w, PresenceSettings presence, int shardId)
    {
        w.WriteStartObject("presence"u8);
        w.WriteNull("since"u8);
        w.WriteStartArray("activities"u8);
        string? name = presence.ActivityNameFor(shardId);
        if (name is not null)
        {
            w.WriteStartObject();
            w.WriteString("name"u8, name);
            w.WriteNumber("type"u8, presence.ActivityType);
            if (presence.ActivityType == 4)
            {
                // Custom statuses show "state", not "name".
                w.WriteString("state"u8, name);
            }

            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteString("status"u8, string.IsNullOrEmpty(presence.Status) ? "online" : presence.Status);
        w.WriteBoolean("afk"u8, false);
        w.WriteEndObject();
    }

    private static string OperatingSystemName() =>
        OperatingSystem.IsLinux() ? "linux" : OperatingSystem.IsWindows() ? "windows" : OperatingSystem.IsMacOS() ? "macos" : "unknown";
}
