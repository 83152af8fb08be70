using System.Buffers.Binary;
using K4os.Compression.LZ4;

namespace GatewayProxy.Ingress.State;

/// <summary>
/// Reads back what <see cref="Lz4ChunkWriteStream"/> wrote: exactly <c>rawLength</c> uncompressed bytes from exactly
/// <c>bodyLength</c> bytes of chunks. Any chunk that does not fit those totals or does not decompress to its recorded
/// length throws <see cref="InvalidDataException"/> naming what is wrong.
/// </summary>
/// <remarks><see cref="Length"/> and <see cref="Position"/> are the uncompressed ones, so a reader can bound what it
/// allocates by what is left.</remarks>
internal sealed class Lz4ChunkReadStream : Stream
{
    private readonly Stream _inner;
    private readonly long _rawLength;
    private readonly long _bodyLength;
    private readonly byte[] _raw = new byte[StateFile.ChunkSize];
    private readonly byte[] _compressed = new byte[LZ4Codec.MaximumOutputSize(StateFile.ChunkSize)];
    private long _delivered;
    private long _consumed;
    private int _chunkStart;
    private int _chunkEnd;

    public Lz4ChunkReadStream(Stream inner, long rawLength, long bodyLength)
    {
        _inner = inner;
        _rawLength = rawLength;
        _bodyLength = bodyLength;
    }

    /// <summary>True when every raw byte was delivered and every body byte consumed.</summary>
    public bool AtEnd => _delivered == _rawLength && _consumed == _bodyLength && _chunkStart == _chunkEnd;

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => _rawLength;

    public override long Position
    {
        get => _delivered;
        set => throw new NotSupportedException();
    }

    public override int Read(Span<byte> buffer)
    {
        if (buffer.IsEmpty || _delivered == _rawLength) return 0;
        if (_chunkStart == _chunkEnd) NextChunk();
        int take = Math.Min(buffer.Length, _chunkEnd - _chunkStart);
        _raw.AsSpan(_chunkStart, take).CopyTo(buffer);
        _chunkStart += take;
        _delivered += take;
        return take;
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    private void NextChunk()
    {
        Span<byte> header = stackalloc byte[StateFile.ChunkHeaderSize];
        ReadBody(header);
        int raw = BinaryPrimitives.ReadInt32LittleEndian(header);
        int compressed = BinaryPrimitives.ReadInt32LittleEndian(header[4..]);
        if (raw <= 0 || raw > _raw.Length || raw > _rawLength - _delivered)
            throw new InvalidDataException($"a chunk of {raw} bytes where {Math.Min(_raw.Length, _rawLength - _delivered)} at most can follow");
        if (compressed <= 0 || compressed > _compressed.Length)
            throw new InvalidDataException($"a chunk compressed to an impossible {compressed} bytes");
        ReadBody(_compressed.AsSpan(0, compressed));
        if (LZ4Codec.Decode(_compressed.AsSpan(0, compressed), _raw.AsSpan(0, raw)) != raw)
            throw new InvalidDataException("a chunk does not decompress to its recorded length");
        _chunkStart = 0;
        _chunkEnd = raw;
    }

    private void ReadBody(Span<byte> into)
    {
        if (into.Length > _bodyLength - _consumed)
            throw new InvalidDataException("the chunks run past the recorded body length");
        _inner.ReadExactly(into);
        _consumed += into.Length;
    }
}
