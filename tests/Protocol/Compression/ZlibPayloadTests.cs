using System.Buffers;
using System.IO.Compression;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using GatewayProxy.Protocol.Compression;
using Xunit;

namespace GatewayProxy.Tests.Protocol.Compression;

public class ZlibPayloadTests
{
    [Property(MaxTest = 1000)]
    public Property Payload_compression_round_trips_as_one_complete_zlib_stream() =>
        Prop.ForAll(TestMessages.OneMessage, Arb.From(Gen.Elements(1, 6, 9)), (spec, level) =>
        {
            byte[] payload = spec.Build();
            var compressed = new ArrayBufferWriter<byte>();
            ZlibPayload.Compress(payload, compressed, level);
            Assert.Equal(0x78, compressed.WrittenSpan[0]);

            var output = new ArrayBufferWriter<byte>();
            Assert.Equal(DecodeStatus.Complete, ZlibPayload.TryDecompress(compressed.WrittenSpan, output, 1 << 20, out string? error));
            Assert.Null(error);
            Assert.Equal(payload, output.WrittenSpan.ToArray());
        });

    [Property(MaxTest = 200)]
    public Property Payload_compression_interoperates_with_ZLibStream_both_ways() =>
        Prop.ForAll(TestMessages.OneMessage, spec =>
        {
            byte[] payload = spec.Build();

            var ours = new ArrayBufferWriter<byte>();
            ZlibPayload.Compress(payload, ours);
            using (var zlib = new ZLibStream(new MemoryStream(ours.WrittenSpan.ToArray()), CompressionMode.Decompress))
            {
                var read = new MemoryStream();
                zlib.CopyTo(read);
                Assert.Equal(payload, read.ToArray());
            }

            if (payload.Length == 0)
            {
                // ZLibStream writes nothing at all for an empty payload: not a zlib stream, so not comparable.
                return;
            }

            var theirs = new MemoryStream();
            using (var zlib = new ZLibStream(theirs, CompressionLevel.Optimal, leaveOpen: true))
            {
                zlib.Write(payload);
            }

            var output = new ArrayBufferWriter<byte>();
            DecodeStatus status = ZlibPayload.TryDecompress(theirs.ToArray(), output, 1 << 20, out string? error);
            Assert.True(status == DecodeStatus.Complete, $"{status}: {error} for {theirs.Length} bytes {Convert.ToHexString(theirs.ToArray().AsSpan(0, Math.Min(16, (int)theirs.Length)))}");
            Assert.Equal(payload, output.WrittenSpan.ToArray());
        });

    [Fact]
    public void Truncated_trailing_and_corrupt_streams_are_Invalid_with_a_reason()
    {
        byte[] payload = TestMessages.Dispatch("GUILD_CREATE", 10_000, seed: 5);
        var compressed = new ArrayBufferWriter<byte>();
        ZlibPayload.Compress(payload, compressed);
        byte[] whole = compressed.WrittenSpan.ToArray();

        Assert.Equal(DecodeStatus.Invalid, ZlibPayload.TryDecompress(whole.AsSpan(0, whole.Length - 2), new ArrayBufferWriter<byte>(), 1 << 20, out string? truncated));
        Assert.NotNull(truncated);

        Assert.Equal(DecodeStatus.Invalid, ZlibPayload.TryDecompress([.. whole, 0x00], new ArrayBufferWriter<byte>(), 1 << 20, out string? trailing));
        Assert.NotNull(trailing);

        byte[] corrupt = [.. whole];
        corrupt[^1] ^= 0xFF; // breaks the Adler-32 trailer
        Assert.Equal(DecodeStatus.Invalid, ZlibPayload.TryDecompress(corrupt, new ArrayBufferWriter<byte>(), 1 << 20, out string? checksum));
        Assert.NotNull(checksum);

        Assert.Equal(DecodeStatus.Invalid, ZlibPayload.TryDecompress(whole, new ArrayBufferWriter<byte>(), payload.Length - 1, out string? tooLarge));
        Assert.Contains("too large", tooLarge, StringComparison.Ordinal);
        Assert.Equal(DecodeStatus.Complete, ZlibPayload.TryDecompress(whole, new ArrayBufferWriter<byte>(), payload.Length, out _));
    }

    [Fact]
    public void Empty_input_is_not_a_zlib_stream_but_an_empty_payload_is()
    {
        Assert.Equal(DecodeStatus.Invalid, ZlibPayload.TryDecompress([], new ArrayBufferWriter<byte>(), 100, out string? error));
        Assert.NotNull(error);

        var compressed = new ArrayBufferWriter<byte>();
        ZlibPayload.Compress([], compressed);
        var output = new ArrayBufferWriter<byte>();
        Assert.Equal(DecodeStatus.Complete, ZlibPayload.TryDecompress(compressed.WrittenSpan, output, 100, out _));
        Assert.Equal(0, output.WrittenCount);
    }
}
