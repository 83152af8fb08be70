using System.Buffers;
using GatewayProxy.Cache.Json;

namespace GatewayProxy.Cache;

/// <summary>Crafting a client's GUILD_CREATE from the snapshot.</summary>
public sealed partial class CacheSnapshot
{
    /// <summary>
    /// Writes the <c>d</c> object of a GUILD_CREATE for <paramref name="guildId"/> as Discord would send it to a client
    /// with <paramref name="options"/>; false when the guild is unknown or unavailable (send GUILD_DELETE unavailable).
    /// </summary>
    /// <remarks>
    /// Member list: without GUILD_PRESENCES or above 75k members, the bot and members in voice only; above
    /// large_threshold, members online, with a role, a nick or in voice (and the bot); otherwise all. Presences only
    /// with GUILD_PRESENCES. A kind the cache does not keep is an empty array, never omitted.
    /// </remarks>
    public bool TryWriteGuildCreate(ulong guildId, IBufferWriter<byte> output, in GuildCreateOptions options)
    {
        if (!TryGetGuild(guildId, out GuildState guild))
        {
            return false;
        }

        ReadOnlySpan<byte> props = guild.Properties;
        output.Raw(props[..^1]);
        if (props.Length > 2)
        {
            output.Byte((byte)',');
        }

        output.Key("joined_at"u8);
        output.Raw(guild.JoinedAt is { } joinedAt ? joinedAt : "null"u8);
        bool large = guild.MemberCount > options.LargeThreshold;
        output.Raw(large ? ",\"large\":true"u8 : ",\"large\":false"u8);
        output.Raw(",\"unavailable\":false,\"member_count\":"u8);
        output.Int64(guild.MemberCount);

        WriteArray(output, ",\"voice_states\":["u8, guild.Get(CacheEntityKind.VoiceStates));
        output.Raw(",\"members\":["u8);
        WriteMembers(output, guild, large, options);
        output.Byte((byte)']');
        WriteArray(output, ",\"channels\":["u8, guild.Get(CacheEntityKind.Channels));
        WriteArray(output, ",\"threads\":["u8, guild.Get(CacheEntityKind.Threads));
        WriteArray(output, ",\"presences\":["u8, options.GuildPresencesIntent || options.Complete ? guild.Get(CacheEntityKind.Presences) : EntityMap.Empty);
        WriteArray(output, ",\"stage_instances\":["u8, guild.Get(CacheEntityKind.StageInstances));
        WriteArray(output, ",\"guild_scheduled_events\":["u8, guild.Get(CacheEntityKind.ScheduledEvents));
        WriteArray(output, ",\"soundboard_sounds\":["u8, guild.Get(CacheEntityKind.SoundboardSounds));
        WriteArray(output, ",\"roles\":["u8, guild.Get(CacheEntityKind.Roles));
        WriteArray(output, ",\"emojis\":["u8, guild.Get(CacheEntityKind.Emojis));
        WriteArray(output, ",\"stickers\":["u8, guild.Get(CacheEntityKind.Stickers));
        output.Byte((byte)'}');
        return true;
    }

    private void WriteMembers(IBufferWriter<byte> output, GuildState guild, bool large, in GuildCreateOptions options)
    {
        ulong bot = options.BotUserId != 0 ? options.BotUserId : _root.BotUserId;
        EntityMap members = guild.Get(CacheEntityKind.Members);
        EntityMap voice = guild.Get(CacheEntityKind.VoiceStates);
        bool any = false;
        if (options.Complete)
        {
            WriteAll(output, members, ref any);
            return;
        }

        if (!options.GuildPresencesIntent || guild.MemberCount > GuildCreateOptions.MemberListLimit)
        {
            if (members.TryGetValue(bot, out CachedEntity self))
            {
                WriteElement(output, self.Json, ref any);
            }

            foreach (KeyValuePair<ulong, CachedEntity> pair in voice)
            {
                if (pair.Key != bot && members.TryGetValue(pair.Key, out CachedEntity member))
                {
                    WriteElement(output, member.Json, ref any);
                }
            }

            return;
        }

        if (!large)
        {
            WriteAll(output, members, ref any);
            return;
        }

        EntityMap presences = guild.Get(CacheEntityKind.Presences);
        foreach (KeyValuePair<ulong, CachedEntity> pair in members)
        {
            // Presences hold non-offline users only, so "has a presence" is "online".
            if (pair.Value.Notable || pair.Key == bot || presences.ContainsKey(pair.Key) || voice.ContainsKey(pair.Key))
            {
                WriteElement(output, pair.Value.Json, ref any);
            }
        }
    }

    private static void WriteArray(IBufferWriter<byte> output, ReadOnlySpan<byte> opening, EntityMap map)
    {
        output.Raw(opening);
        bool any = false;
        WriteAll(output, map, ref any);
        output.Byte((byte)']');
    }

    private static void WriteAll(IBufferWriter<byte> output, EntityMap map, ref bool any)
    {
        foreach (KeyValuePair<ulong, CachedEntity> pair in map)
        {
            WriteElement(output, pair.Value.Json, ref any);
        }
    }

    private static void WriteElement(IBufferWriter<byte> output, ReadOnlySpan<byte> json, ref bool any)
    {
        if (any)
        {
            output.Byte((byte)',');
        }

        any = true;
        output.Raw(json);
    }
}
