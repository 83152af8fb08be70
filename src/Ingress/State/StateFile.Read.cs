using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using K4os.Compression.LZ4;

namespace GatewayProxy.Ingress.State;

/// <summary>Reading a state file: every check names what is wrong, nothing throws.</summary>
public static partial class StateFile
{
    /// <summary>
    /// Reads and verifies <paramref name="path"/>; false with the reason (and a human detail) when it is missing,
    /// unreadable, truncated, not a state file, of another version, damaged, or older than <paramref name="maxAge"/>.
    /// </summary>
    public static bool TryRead(string path, DateTimeOffset now, TimeSpan maxAge, [NotNullWhen(true)] out ProxyState? state, out StateFileStatus status, out string detail)
    {
        ArgumentNullException.ThrowIfNull(path);
        state = null;
        byte[] file;
        try
        {
            file = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            status = StateFileStatus.Missing;
            detail = "no state file";
            return false;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            status = StateFileStatus.Unreadable;
            detail = "cannot read it: " + e.Message;
            return false;
        }

        return TryDecode(file, now, maxAge, out state, out status, out detail);
    }

    /// <summary>Verifies and decodes the bytes of a state file (see <see cref="TryRead"/>).</summary>
    public static bool TryDecode(ReadOnlySpan<byte> file, DateTimeOffset now, TimeSpan maxAge, [NotNullWhen(true)] out ProxyState? state, out StateFileStatus status, out string detail)
    {
        state = null;
        if (file.Length < Magic.Length ? !file.SequenceEqual(Magic[..file.Length]) : !file[..Magic.Length].SequenceEqual(Magic))
        {
            return Fail(StateFileStatus.BadMagic, "not a GatewayProxy state file (wrong magic bytes)", out status, out detail);
        }

        if (file.Length < HeaderSize)
        {
            return Fail(StateFileStatus.Truncated, Invariant($"truncated: {file.Length} bytes, shorter than the {HeaderSize}-byte header"), out status, out detail);
        }

        ushort version = BinaryPrimitives.ReadUInt16LittleEndian(file[4..]);
        if (version != FormatVersion)
        {
            return Fail(StateFileStatus.VersionMismatch, Invariant($"format version {version}, this proxy reads version {FormatVersion}"), out status, out detail);
        }

        long writtenMs = BinaryPrimitives.ReadInt64LittleEndian(file[6..]);
        int rawLength = BinaryPrimitives.ReadInt32LittleEndian(file[14..]);
        int compressedLength = BinaryPrimitives.ReadInt32LittleEndian(file[18..]);
        ulong checksum = BinaryPrimitives.ReadUInt64LittleEndian(file[ChecksumOffset..]);
        ReadOnlySpan<byte> body = file[HeaderSize..];
        if (compressedLength < 0 || body.Length < compressedLength)
        {
            return Fail(StateFileStatus.Truncated, Invariant($"truncated: the body has {body.Length} of its {compressedLength} bytes"), out status, out detail);
        }

        if (body.Length > compressedLength || Checksum(file[..ChecksumOffset], body) != checksum)
        {
            return Fail(StateFileStatus.ChecksumMismatch, "checksum mismatch: the file was damaged after it was written", out status, out detail);
        }

        if (writtenMs < -62_135_596_800_000 || writtenMs > 253_402_300_799_999)
        {
            return Fail(StateFileStatus.Corrupt, "corrupt: impossible write time", out status, out detail);
        }

        DateTimeOffset writtenAt = DateTimeOffset.FromUnixTimeMilliseconds(writtenMs);
        TimeSpan age = now - writtenAt;
        if (age > maxAge || age < -maxAge)
        {
            return Fail(StateFileStatus.Stale, Invariant($"stale: written {age.TotalSeconds:0} s ago, older than state_max_age_seconds ({maxAge.TotalSeconds:0})"), out status, out detail);
        }

        if (rawLength < 0)
        {
            return Fail(StateFileStatus.Corrupt, "corrupt: negative body length", out status, out detail);
        }

        byte[] raw = new byte[rawLength];
        if (LZ4Codec.Decode(body, raw) != rawLength)
        {
            return Fail(StateFileStatus.Corrupt, "corrupt: the body does not decompress to its recorded length", out status, out detail);
        }

        if (!StateBody.TryDecode(raw, out IReadOnlyList<SavedShard>? shards, out string? error))
        {
            return Fail(StateFileStatus.Corrupt, "corrupt: " + error, out status, out detail);
        }

        state = new ProxyState(writtenAt, shards);
        status = StateFileStatus.Loaded;
        detail = Invariant($"{shards.Count} shards, written {age.TotalSeconds:0.0} s ago");
        return true;
    }

    /// <summary>True when every saved shard belongs to a bot of <paramref name="totalShards"/> shards and to [<paramref name="start"/>, <paramref name="end"/>).</summary>
    public static bool Fits(ProxyState state, int totalShards, int start, int end, out string detail)
    {
        ArgumentNullException.ThrowIfNull(state);
        foreach (SavedShard shard in state.Shards)
        {
            if (shard.ShardCount != totalShards)
            {
                detail = Invariant($"saved for {shard.ShardCount} shards, this proxy runs {totalShards}");
                return false;
            }

            if (shard.ShardId < start || shard.ShardId >= end)
            {
                detail = Invariant($"holds shard {shard.ShardId}, outside this process's range [{start}, {end})");
                return false;
            }
        }

        detail = "";
        return true;
    }

    private static bool Fail(StateFileStatus reason, string text, out StateFileStatus status, out string detail)
    {
        status = reason;
        detail = text;
        return false;
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
