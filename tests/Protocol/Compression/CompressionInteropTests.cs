using System.Buffers;
using System.IO.Compression;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using GatewayProxy.Protocol.Compression;
using Xunit;
using ZstdSharp;

namespace GatewayProxy.Tests.Protocol.Compression;

/// <summary>Checks our codecs against independent implementations: .NET's ZLibStream and ZstdSharp's streams.</summary>
public class CompressionInteropTests
{
    [Property(MaxTest = 200)]
    public Property Zlib_stream_messages_concatenated_decode_with_ZLibStream() =>
        Prop.ForAll(TestMessages.Sequences, specs =>
        {
            byte[][] messages = [.. specs.Select(s => s.Build())];
            using var encoder = new ZlibStreamEncoder();
            byte[] concatenated = [.. ZlibStreamTests.EncodeAll(encoder, messages).SelectMany(m => m)];

            // The stream never ends (no trailer), so read exactly what was sent rather than to the end.
            byte[] expected = [.. messages.SelectMany(m => m)];
            using var zlib = new ZLibStream(new MemoryStream(concatenated), CompressionMode.Decompress);
            byte[] actual = new byte[expected.Length];
            zlib.ReadExactly(actual);
            Assert.Equal(expected, actual);
        });

    [Property(MaxTest = 200)]
    public Property Decoder_reads_what_ZLibStream_with_Flush_writes() =>
        Prop.ForAll(TestMessages.Sequences, specs =>
        {
            byte[][] messages = [.. specs.Select(s => s.Build()).Where(m => m.Length > 0)];
            var sink = new MemoryStream();
            using var zlib = new ZLibStream(sink, CompressionLevel.Optimal, leaveOpen: true);
            using var decoder = new ZlibStreamDecoder();
            var output = new ArrayBufferWriter<byte>();
            foreach (byte[] message in messages)
            {
                sink.SetLength(0);
                zlib.Write(message);
                zlib.Flush();
                output.ResetWrittenCount();
                Assert.Equal(DecodeStatus.Complete, decoder.Decode(sink.ToArray(), output));
                Assert.Equal(message, output.WrittenSpan.ToArray());
            }
        });

    [Property(MaxTest = 200)]
    public Property Zstd_stream_messages_concatenated_decode_with_DecompressionStream() =>
        Prop.ForAll(TestMessages.Sequences, specs =>
        {
            byte[][] messages = [.. specs.Select(s => s.Build())];
            using var encoder = new ZstdStreamEncoder();
            byte[] concatenated = [.. ZlibStreamTests.EncodeAll(encoder, messages).SelectMany(m => m)];
            byte[] expected = [.. messages.SelectMany(m => m)];
            using var zstd = new DecompressionStream(new MemoryStream(concatenated));
            byte[] actual = new byte[expected.Length];
            zstd.ReadExactly(actual);
            Assert.Equal(expected, actual);
        });

    [Fact]
    public void Zstd_decoder_reads_what_CompressionStream_with_Flush_writes()
    {
        byte[][] messages = [TestMessages.Dispatch("READY", 5_000, 1), TestMessages.Dispatch("GUILD_CREATE", 80_000, 2), TestMessages.Dispatch("TYPING_START", 300, 3)];
        var sink = new MemoryStream();
        using var zstd = new CompressionStream(sink, level: 3, leaveOpen: true);
        using var decoder = new ZstdStreamDecoder();
        var output = new ArrayBufferWriter<byte>();
        foreach (byte[] message in messages)
        {
            sink.SetLength(0);
            zstd.Write(message);
            zstd.Flush();
            output.ResetWrittenCount();
            Assert.Equal(DecodeStatus.Complete, decoder.Decode(sink.ToArray(), output));
            Assert.Equal(message, output.WrittenSpan.ToArray());
        }
    }
}
