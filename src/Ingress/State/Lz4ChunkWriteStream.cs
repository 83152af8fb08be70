using System.Buffers.Binary;
using System.IO.Hashing;
using K4os.Compression.LZ4;

namespace GatewayProxy.Ingress.State;

/// <summary>
/// A write-only stream that compresses what it is given in independent LZ4 blocks of at most
/// <see cref="StateFile.ChunkSize"/> bytes and writes each as <c>raw length (i32), compressed length (i32), block</c>
/// to the underlying stream, hashing every byte it writes. Memory stays at two chunk buffers whatever the total.
/// </summary>
internal sealed class Lz4ChunkWriteStream : Stream
{
    private readonly Stream _inner;
    private readonly byte[] _raw = new byte[StateFile.ChunkSize];
    private readonly byte[] _compressed = new byte[StateFile.ChunkHeaderSize + LZ4Codec.MaximumOutputSize(StateFile.ChunkSize)];
    private readonly XxHash64 _hash = new();
    private int _filled;

    public Lz4ChunkWriteStream(Stream inner) => _inner = inner;

    /// <summary>Uncompressed bytes written so far.</summary>
    public long RawLength { get; private set; }

    /// <summary>Bytes written to the underlying stream so far (chunk headers included).</summary>
    public long WrittenLength { get; private set; }

    /// <summary>XxHash64 of everything written to the underlying stream (call after <see cref="Flush"/>).</summary>
    public ulong Hash => _hash.GetCurrentHashAsUInt64();

    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => RawLength;

    public override long Position
    {
        get => RawLength;
        set => throw new NotSupportedException();
    }

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        while (!buffer.IsEmpty)
        {
            int take = Math.Min(buffer.Length, _raw.Length - _filled);
            buffer[..take].CopyTo(_raw.AsSpan(_filled));
            _filled += take;
            RawLength += take;
            buffer = buffer[take..];
            if (_filled == _raw.Length) WriteChunk();
        }
    }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void WriteByte(byte value) => Write([value]);

    /// <summary>Compresses and writes the partly filled chunk, if any (the last one of the body).</summary>
    public override void Flush()
    {
        if (_filled > 0) WriteChunk();
    }

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    private void WriteChunk()
    {
        // Fast level: the file is written while the proxy stops, and the body is mostly JSON, which LZ4 handles well anyway.
        int compressed = LZ4Codec.Encode(_raw.AsSpan(0, _filled), _compressed.AsSpan(StateFile.ChunkHeaderSize), LZ4Level.L00_FAST);
        if (compressed <= 0) throw new InvalidOperationException("LZ4 could not compress a state file chunk");
        BinaryPrimitives.WriteInt32LittleEndian(_compressed, _filled);
        BinaryPrimitives.WriteInt32LittleEndian(_compressed.AsSpan(4), compressed);
        ReadOnlySpan<byte> chunk = _compressed.AsSpan(0, StateFile.ChunkHeaderSize + compressed);
        _inner.Write(chunk);
        _hash.Append(chunk);
        WrittenLength += chunk.Length;
        _filled = 0;
    }
}
