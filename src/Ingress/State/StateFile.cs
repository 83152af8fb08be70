using System.Buffers.Binary;
using System.IO.Hashing;
using K4os.Compression.LZ4;

namespace GatewayProxy.Ingress.State;

/// <summary>
/// The state file written on SIGTERM and read on start (see <see cref="ProxyState"/>): a fixed header, then an
/// LZ4-compressed body (<see cref="StateBody"/>). Written to a temporary file and renamed over the old one, so a reader
/// never sees half a file.
/// </summary>
/// <remarks>
/// Header, little-endian: magic <c>GPXS</c> (4 bytes), format version (u16), written-at Unix milliseconds (i64),
/// uncompressed body length (i32), compressed body length (i32), XxHash64 of the header's first 22 bytes and the
/// compressed body (u64). The checksum covers the timestamp and the lengths too, so a flipped bit anywhere after the
/// version is caught. Split by concern: <c>StateFile.Read.cs</c> checks and decodes a file.
/// </remarks>
public static partial class StateFile
{
    /// <summary>The format version this proxy writes and reads; bump it whenever the header or the body changes.</summary>
    public const ushort FormatVersion = 1;

    /// <summary>Header size in bytes.</summary>
    public const int HeaderSize = 30;

    private const int ChecksumOffset = 22;

    /// <summary>The first four bytes of every state file.</summary>
    public static ReadOnlySpan<byte> Magic => "GPXS"u8;

    /// <summary>Writes <paramref name="state"/> to <paramref name="path"/> atomically (temporary file, fsync, rename); returns the file size.</summary>
    /// <exception cref="IOException">The file could not be written (the old one, if any, is left as it was).</exception>
    /// <exception cref="InvalidOperationException">The body is too large for one LZ4 block (2 GiB).</exception>
    public static long Write(string path, ProxyState state)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(state);
        byte[] file = Encode(state);
        string full = Path.GetFullPath(path);
        string temp = full + ".tmp";
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        using (var stream = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16, FileOptions.None))
        {
            stream.Write(file);
            // On disk before the rename: a power cut must leave the old file or the new one, never an empty one.
            stream.Flush(flushToDisk: true);
        }

        File.Move(temp, full, overwrite: true);
        return file.Length;
    }

    /// <summary>The complete file contents for <paramref name="state"/> (header and compressed body).</summary>
    public static byte[] Encode(ProxyState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        byte[] body = StateBody.Encode(state.Shards);
        int bound = LZ4Codec.MaximumOutputSize(body.Length);
        if (bound <= 0)
        {
            throw new InvalidOperationException($"the state body ({body.Length} bytes) is too large for the state file");
        }

        byte[] file = new byte[HeaderSize + bound];
        // Fast level: the file is written while the proxy is stopping, and most of the body is JSON that LZ4 handles well anyway.
        int compressed = LZ4Codec.Encode(body, file.AsSpan(HeaderSize), LZ4Level.L00_FAST);
        if (compressed < 0)
        {
            throw new InvalidOperationException("LZ4 could not compress the state body");
        }

        Span<byte> header = file.AsSpan(0, HeaderSize);
        Magic.CopyTo(header);
        BinaryPrimitives.WriteUInt16LittleEndian(header[4..], FormatVersion);
        BinaryPrimitives.WriteInt64LittleEndian(header[6..], state.WrittenAt.ToUnixTimeMilliseconds());
        BinaryPrimitives.WriteInt32LittleEndian(header[14..], body.Length);
        BinaryPrimitives.WriteInt32LittleEndian(header[18..], compressed);
        BinaryPrimitives.WriteUInt64LittleEndian(header[ChecksumOffset..], Checksum(header[..ChecksumOffset], file.AsSpan(HeaderSize, compressed)));
        Array.Resize(ref file, HeaderSize + compressed);
        return file;
    }

    private static ulong Checksum(ReadOnlySpan<byte> headerStart, ReadOnlySpan<byte> body)
    {
        var hash = new XxHash64();
        hash.Append(headerStart);
        hash.Append(body);
        return hash.GetCurrentHashAsUInt64();
    }
}
