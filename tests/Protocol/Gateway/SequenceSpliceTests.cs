using System.Buffers;
using System.Text;
using GatewayProxy.Protocol.Gateway;
using Xunit;

namespace GatewayProxy.Tests.Protocol.Gateway;

public class SequenceSpliceTests
{
    private static readonly byte[] Payload = "{\"t\":\"TYPING_START\",\"s\":7,\"op\":0,\"d\":{\"s\":8}}"u8.ToArray();

    private static Envelope Scan(byte[] payload)
    {
        Assert.True(EnvelopeScanner.TryScan(payload, out Envelope envelope, out _));
        return envelope;
    }

    [Theory]
    [InlineData(0L, "{\"t\":\"TYPING_START\",\"s\":0,\"op\":0,\"d\":{\"s\":8}}")]
    [InlineData(123456789L, "{\"t\":\"TYPING_START\",\"s\":123456789,\"op\":0,\"d\":{\"s\":8}}")]
    [InlineData(-1L, "{\"t\":\"TYPING_START\",\"s\":null,\"op\":0,\"d\":{\"s\":8}}")]
    public void Splice_replaces_only_the_envelope_sequence(long newSeq, string expected)
    {
        Envelope envelope = Scan(Payload);
        var writer = new ArrayBufferWriter<byte>();
        SequenceSplice.Write(writer, Payload, envelope, newSeq);
        Assert.Equal(expected, Encoding.UTF8.GetString(writer.WrittenSpan));
        Assert.Equal(expected.Length, SequenceSplice.GetLength(Payload, envelope, newSeq));
    }

    [Fact]
    public void Null_sequence_is_replaced_by_digits()
    {
        byte[] payload = "{\"t\":null,\"s\":null,\"op\":0,\"d\":null}"u8.ToArray();
        var destination = new byte[64];
        int n = SequenceSplice.Write(destination, payload, Scan(payload), 5);
        Assert.Equal("{\"t\":null,\"s\":5,\"op\":0,\"d\":null}", Encoding.UTF8.GetString(destination, 0, n));
    }

    [Fact]
    public void Absent_sequence_copies_the_payload_unchanged()
    {
        byte[] payload = "{\"op\":0,\"d\":{\"s\":1}}"u8.ToArray();
        Envelope envelope = Scan(payload);
        Assert.Equal(payload.Length, SequenceSplice.GetLength(payload, envelope, 99));
        var writer = new ArrayBufferWriter<byte>();
        SequenceSplice.Write(writer, payload, envelope, 99);
        Assert.Equal(payload, writer.WrittenSpan.ToArray());
    }

    [Fact]
    public void Span_destination_of_exact_length_works_and_short_one_is_refused()
    {
        Envelope envelope = Scan(Payload);
        int length = SequenceSplice.GetLength(Payload, envelope, 1000);
        var exact = new byte[length];
        Assert.Equal(length, SequenceSplice.Write(exact, Payload, envelope, 1000));
        Assert.Contains("\"s\":1000,", Encoding.UTF8.GetString(exact), StringComparison.Ordinal);

        Assert.False(SequenceSplice.TryWrite(new byte[length - 1], Payload, envelope, 1000, out int written));
        Assert.Equal(0, written);
        Assert.Throws<ArgumentException>(() => SequenceSplice.Write(new byte[length - 1], Payload, envelope, 1000));
    }

    [Fact]
    public void Writer_that_hands_out_small_spans_gets_the_same_bytes()
    {
        Envelope envelope = Scan(Payload);
        var expected = new ArrayBufferWriter<byte>();
        SequenceSplice.Write(expected, Payload, envelope, 31337);
        var chunked = new ChunkedWriter(3);
        SequenceSplice.Write(chunked, Payload, envelope, 31337);
        Assert.Equal(expected.WrittenSpan.ToArray(), chunked.Written.ToArray());
    }

    /// <summary>An IBufferWriter that never offers more than a few bytes at a time, like a segmented pipe.</summary>
    private sealed class ChunkedWriter(int chunk) : IBufferWriter<byte>
    {
        private readonly List<byte> written = [];
        private byte[] current = [];

        public IReadOnlyList<byte> Written => written;

        public void Advance(int count) => written.AddRange(current.AsSpan(0, count).ToArray());

        public Memory<byte> GetMemory(int sizeHint = 0) => current = new byte[chunk];

        public Span<byte> GetSpan(int sizeHint = 0) => current = new byte[chunk];
    }
}
