using GatewayProxy.Cache.Persistence;
using System.Diagnostics.CodeAnalysis;
using System.Text;

namespace GatewayProxy.Ingress.State;

/// <summary>
/// The uncompressed body of a state file: a shard count, then per shard its id, shard count, session id, sequence,
/// resume URL, bot user, application and guilds (id + complete GUILD_CREATE JSON, or none when unavailable).
/// </summary>
/// <remarks>Little-endian, strings as UTF-8 with a 32-bit length (-1 for null), byte blobs likewise. Cold path: plain
/// <see cref="BinaryWriter"/>/<see cref="BinaryReader"/> over a stream (the body is never held whole in memory, so it has
/// no size ceiling), decoding failures caught in one place.</remarks>
internal static class StateBody
{
    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>Writes the body for <paramref name="shards"/> to <paramref name="body"/> (left open).</summary>
    public static void Write(Stream body, IReadOnlyList<SavedShard> shards)
    {
        using var w = new BinaryWriter(body, Utf8, leaveOpen: true);
        w.Write(shards.Count);
        foreach (SavedShard shard in shards)
        {
            w.Write(shard.ShardId);
            w.Write(shard.ShardCount);
            WriteString(w, shard.SessionId);
            w.Write(shard.Sequence);
            WriteString(w, shard.ResumeUrl);
            WriteBytes(w, shard.Cache.BotUserJson);
            WriteBytes(w, shard.Cache.ApplicationJson);
            w.Write(shard.Cache.Guilds.Count);
            foreach (SavedGuild guild in shard.Cache.Guilds)
            {
                w.Write(guild.Id);
                WriteBytes(w, guild.GuildCreateJson);
            }
        }
    }

    /// <summary>Decodes a body from <paramref name="body"/>, whose <see cref="Stream.Length"/> is the body's length;
    /// false with what is wrong when it is not one this version wrote.</summary>
    public static bool TryDecode(Stream body, [NotNullWhen(true)] out IReadOnlyList<SavedShard>? shards, [NotNullWhen(false)] out string? error)
    {
        shards = null;
        try
        {
            using var r = new BinaryReader(body, Utf8, leaveOpen: true);
            int count = ReadCount(r, "shard");
            var list = new List<SavedShard>(count);
            for (int i = 0; i < count; i++)
            {
                int id = r.ReadInt32();
                int total = r.ReadInt32();
                string sessionId = ReadString(r) ?? throw new InvalidDataException("a shard without a session id");
                long sequence = r.ReadInt64();
                string? resumeUrl = ReadString(r);
                byte[] user = ReadBytes(r) ?? [];
                byte[] application = ReadBytes(r) ?? [];
                int guildCount = ReadCount(r, "guild");
                var guilds = new List<SavedGuild>(guildCount);
                for (int g = 0; g < guildCount; g++)
                {
                    ulong guildId = r.ReadUInt64();
                    guilds.Add(new SavedGuild(guildId, ReadBytes(r)));
                }

                list.Add(new SavedShard(id, total, sessionId, sequence, resumeUrl, new SavedCache(user, application, guilds)));
            }

            if (body.Position != body.Length)
            {
                throw new InvalidDataException($"{body.Length - body.Position} bytes after the last shard");
            }

            shards = list;
            error = null;
            return true;
        }
        catch (Exception e) when (e is EndOfStreamException or InvalidDataException or DecoderFallbackException)
        {
            error = e is EndOfStreamException ? "the body ends in the middle of a shard" : e.Message;
            return false;
        }
    }

    private static void WriteString(BinaryWriter w, string? value) => WriteBytes(w, value is null ? null : Utf8.GetBytes(value));

    private static void WriteBytes(BinaryWriter w, byte[]? value)
    {
        if (value is null)
        {
            w.Write(-1);
            return;
        }

        w.Write(value.Length);
        w.Write(value);
    }

    private static string? ReadString(BinaryReader r) => ReadBytes(r) is { } bytes ? Utf8.GetString(bytes) : null;

    private static byte[]? ReadBytes(BinaryReader r)
    {
        int length = r.ReadInt32();
        if (length == -1)
        {
            return null;
        }

        if (length < 0 || length > r.BaseStream.Length - r.BaseStream.Position)
        {
            throw new InvalidDataException($"a length of {length} bytes past the end of the body");
        }

        return r.ReadBytes(length);
    }

    private static int ReadCount(BinaryReader r, string what)
    {
        int count = r.ReadInt32();
        // Every entry takes at least 8 bytes: a count larger than that is damage, not a reason to allocate gigabytes.
        if (count < 0 || count > (r.BaseStream.Length - r.BaseStream.Position) / 8)
        {
            throw new InvalidDataException($"an impossible {what} count ({count})");
        }

        return count;
    }
}
