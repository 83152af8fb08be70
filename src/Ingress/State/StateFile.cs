using System.Buffers.Binary;
using System.IO.Hashing;

namespace GatewayProxy.Ingress.State;

/// <summary>
/// The state file written on SIGTERM and read on start (see <see cref="ProxyState"/>): a fixed header, then the body
/// (<see cref="StateBody"/>) as a run of independent LZ4-compressed chunks of at most <see cref="ChunkSize"/> bytes.
/// Written to a temporary file and renamed over the old one, so a reader never sees half a file.
/// </summary>
/// <remarks>
/// Header, little-endian: magic <c>GPXS</c> (4 bytes), format version (u16), written-at Unix milliseconds (i64),
/// uncompressed body length (i64), body length on disk (i64), checksum (u64) = XxHash64 of the header's first 30 bytes
/// followed by the XxHash64 of the body bytes. The checksum covers the timestamp and the lengths too, so a flipped bit
/// anywhere after the version is caught. Each chunk is <c>raw length (i32), compressed length (i32), LZ4 block</c>.
/// The body is streamed in both directions: neither writing nor reading holds it whole, so a bot in 100 000 guilds
/// has no 2 GiB ceiling and no extra copy of its cache at shutdown. Split by concern: <c>StateFile.Read.cs</c> checks
/// and decodes a file.
/// </remarks>
public static partial class StateFile
{
    /// <summary>The format version this proxy writes and reads; bump it whenever the header or the body changes.</summary>
    /// <remarks>Version 1 was one LZ4 block for the whole body (2 GiB ceiling); it is reported as a version mismatch.</remarks>
    public const ushort FormatVersion = 2;

    /// <summary>Header size in bytes.</summary>
    public const int HeaderSize = 38;

    /// <summary>Largest uncompressed chunk of the body.</summary>
    public const int ChunkSize = 1 << 20;

    /// <summary>Bytes before each chunk's LZ4 block: its raw and compressed lengths.</summary>
    internal const int ChunkHeaderSize = 8;

    private const int WrittenAtOffset = 6;
    private const int RawLengthOffset = 14;
    private const int BodyLengthOffset = 22;
    private const int ChecksumOffset = 30;

    /// <summary>The first four bytes of every state file.</summary>
    public static ReadOnlySpan<byte> Magic => "GPXS"u8;

    /// <summary>Writes <paramref name="state"/> to <paramref name="path"/> atomically (temporary file, fsync, rename); returns the file size.</summary>
    /// <exception cref="IOException">The file could not be written (the old one, if any, is left as it was).</exception>
    public static long Write(string path, ProxyState state)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(state);
        string full = Path.GetFullPath(path);
        string temp = full + ".tmp";
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        long size;
        try
        {
            using var stream = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16, FileOptions.None);
            size = WriteTo(stream, state);
            // On disk before the rename: a power cut must leave the old file or the new one, never an empty one.
            stream.Flush(flushToDisk: true);
        }
        catch
        {
            File.Delete(temp);
            throw;
        }

        File.Move(temp, full, overwrite: true);
        return size;
    }

    /// <summary>The complete file contents for <paramref name="state"/> (header and body), for tests and tools.</summary>
    public static byte[] Encode(ProxyState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        using var stream = new MemoryStream();
        WriteTo(stream, state);
        return stream.ToArray();
    }

    /// <summary>Writes the file to a seekable <paramref name="file"/> positioned at 0: a placeholder header, the chunks,
    /// then the real header over the placeholder. Returns the file size.</summary>
    private static long WriteTo(Stream file, ProxyState state)
    {
        Span<byte> header = stackalloc byte[HeaderSize];
        header.Clear();
        file.Write(header);
        using (var body = new Lz4ChunkWriteStream(file))
        {
            StateBody.Write(body, state.Shards);
            body.Flush();
            Magic.CopyTo(header);
            BinaryPrimitives.WriteUInt16LittleEndian(header[4..], FormatVersion);
            BinaryPrimitives.WriteInt64LittleEndian(header[WrittenAtOffset..], state.WrittenAt.ToUnixTimeMilliseconds());
            BinaryPrimitives.WriteInt64LittleEndian(header[RawLengthOffset..], body.RawLength);
            BinaryPrimitives.WriteInt64LittleEndian(header[BodyLengthOffset..], body.WrittenLength);
            BinaryPrimitives.WriteUInt64LittleEndian(header[ChecksumOffset..], Checksum(header[..ChecksumOffset], body.Hash));
        }

        long end = file.Position;
        file.Position = 0;
        file.Write(header);
        file.Position = end;
        return end;
    }

    /// <summary>The header checksum: the header's first bytes, then the body's own hash.</summary>
    private static ulong Checksum(ReadOnlySpan<byte> headerStart, ulong bodyHash)
    {
        Span<byte> tail = stackalloc byte[sizeof(ulong)];
        BinaryPrimitives.WriteUInt64LittleEndian(tail, bodyHash);
        var hash = new XxHash64();
        hash.Append(headerStart);
        hash.Append(tail);
        return hash.GetCurrentHashAsUInt64();
    }
}
