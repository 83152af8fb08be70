using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.IO.Hashing;

namespace GatewayProxy.Ingress.State;

/// <summary>Reading a state file: every check names what is wrong, nothing throws.</summary>
public static partial class StateFile
{
    /// <summary>
    /// Reads and verifies <paramref name="path"/>; false with the reason (and a human detail) when it is missing,
    /// unreadable, truncated, not a state file, of another version, damaged, or older than <paramref name="maxAge"/>.
    /// </summary>
    /// <remarks>Two passes over the file, neither holding it whole: the checksum first, then the decode.</remarks>
    public static bool TryRead(string path, DateTimeOffset now, TimeSpan maxAge, [NotNullWhen(true)] out ProxyState? state, out StateFileStatus status, out string detail)
    {
        ArgumentNullException.ThrowIfNull(path);
        state = null;
        try
        {
            using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
            return TryDecode(file, now, maxAge, out state, out status, out detail);
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
    }

    /// <summary>Verifies and decodes the bytes of a state file (see <see cref="TryRead"/>).</summary>
    public static bool TryDecode(ReadOnlySpan<byte> file, DateTimeOffset now, TimeSpan maxAge, [NotNullWhen(true)] out ProxyState? state, out StateFileStatus status, out string detail)
    {
        using var stream = new MemoryStream(file.ToArray(), writable: false);
        return TryDecode(stream, now, maxAge, out state, out status, out detail);
    }

    /// <summary>Verifies and decodes a state file from a seekable <paramref name="file"/> positioned at its start.</summary>
    private static bool TryDecode(Stream file, DateTimeOffset now, TimeSpan maxAge, [NotNullWhen(true)] out ProxyState? state, out StateFileStatus status, out string detail)
    {
        state = null;
        Span<byte> header = stackalloc byte[HeaderSize];
        int got = file.ReadAtLeast(header, HeaderSize, throwOnEndOfStream: false);
        int magicBytes = Math.Min(got, Magic.Length);
        if (!header[..magicBytes].SequenceEqual(Magic[..magicBytes]))
        {
            return Fail(StateFileStatus.BadMagic, "not a GatewayProxy state file (wrong magic bytes)", out status, out detail);
        }

        if (got < HeaderSize)
        {
            return Fail(StateFileStatus.Truncated, Invariant($"truncated: {got} bytes, shorter than the {HeaderSize}-byte header"), out status, out detail);
        }

        ushort version = BinaryPrimitives.ReadUInt16LittleEndian(header[4..]);
        if (version != FormatVersion)
        {
            return Fail(StateFileStatus.VersionMismatch, Invariant($"format version {version}, this proxy reads version {FormatVersion}"), out status, out detail);
        }

        long writtenMs = BinaryPrimitives.ReadInt64LittleEndian(header[WrittenAtOffset..]);
        long rawLength = BinaryPrimitives.ReadInt64LittleEndian(header[RawLengthOffset..]);
        long bodyLength = BinaryPrimitives.ReadInt64LittleEndian(header[BodyLengthOffset..]);
        ulong checksum = BinaryPrimitives.ReadUInt64LittleEndian(header[ChecksumOffset..]);
        long onDisk = file.Length - HeaderSize;
        if (bodyLength < 0 || onDisk < bodyLength)
        {
            return Fail(StateFileStatus.Truncated, Invariant($"truncated: the body has {onDisk} of its {bodyLength} bytes"), out status, out detail);
        }

        if (onDisk > bodyLength || Checksum(header[..ChecksumOffset], HashBody(file)) != checksum)
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

        file.Position = HeaderSize;
        using var body = new Lz4ChunkReadStream(file, rawLength, bodyLength);
        if (!StateBody.TryDecode(body, out IReadOnlyList<SavedShard>? shards, out string? error))
        {
            return Fail(StateFileStatus.Corrupt, "corrupt: " + error, out status, out detail);
        }

        if (!body.AtEnd)
        {
            return Fail(StateFileStatus.Corrupt, "corrupt: bytes after the last chunk", out status, out detail);
        }

        state = new ProxyState(writtenAt, shards);
        status = StateFileStatus.Loaded;
        detail = Invariant($"{shards.Count} shards, written {age.TotalSeconds:0.0} s ago");
        return true;
    }

    /// <summary>XxHash64 of everything from the current position to the end of <paramref name="file"/>.</summary>
    private static ulong HashBody(Stream file)
    {
        var hash = new XxHash64();
        byte[] buffer = new byte[1 << 16];
        int read;
        while ((read = file.Read(buffer)) > 0)
        {
            hash.Append(buffer.AsSpan(0, read));
        }

        return hash.GetCurrentHashAsUInt64();
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
