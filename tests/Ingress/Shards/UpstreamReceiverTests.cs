using System.Buffers;
using System.Text;
using GatewayProxy.Ingress.Shards;
using GatewayProxy.Protocol.Compression;
using GatewayProxy.Protocol.Events;
using GatewayProxy.Protocol.Gateway;
using GatewayProxy.Protocol.WebSockets;
using GatewayProxy.Ring;
using GatewayProxy.Tooling;
using Xunit;

namespace GatewayProxy.Tests.Ingress.Shards;

/// <summary>The hot path alone, over in-memory frames: what it publishes, what it drops, and that it allocates nothing per event.</summary>
public sealed class UpstreamReceiverTests
{
    [Theory]
    [InlineData(TransportCompression.None)]
    [InlineData(TransportCompression.ZlibStream)]
    [InlineData(TransportCompression.ZstdStream)]
    public void Publishes_dispatches_in_order_with_meta_and_drops_replayed_sequences(TransportCompression compression)
    {
        string[] payloads =
        [
            """{"t":null,"s":null,"op":10,"d":{"heartbeat_interval":41250}}""",
            """{"t":"PRESENCE_UPDATE","s":1,"op":0,"d":{"user":{"id":"5"},"status":"online","guild_id":"4194304"}}""",
            """{"t":null,"s":null,"op":11,"d":null}""",
            """{"t":"GUILD_CREATE","s":2,"op":0,"d":{"id":"8388608","name":"g","members":[{"user":{"id":"1"}}]}}""",
            """{"t":"PRESENCE_UPDATE","s":1,"op":0,"d":{"user":{"id":"5"},"status":"online","guild_id":"4194304"}}""",
            """{"t":"GUILD_MEMBERS_CHUNK","s":3,"op":0,"d":{"guild_id":"4194304","members":[],"nonce":"abc"}}""",
            """{"t":"RATE_LIMITED","s":4,"op":0,"d":{"opcode":8,"retry_after":1.5,"meta":{"guild_id":"4194304","nonce":"xyz"}}}""",
            """{"t":"MESSAGE_CREATE","s":5,"op":0,"d":{"id":"5","channel_id":"6","guild_id":"4194304","content":"hi"}}""",
        ];
        var ring = new PayloadRing<EventMeta>(16);
        var handler = new RecordingHandler();
        using var receiver = new UpstreamReceiver(ring, 1 << 20, metrics: null);
        receiver.BeginConnection(compression);
        Assert.True(receiver.TryClaim());
        ReadOnlySequence<byte> input = new(ServerFrames.Build(compression, payloads.Select(Encoding.UTF8.GetBytes)));

        Assert.Equal(ReceiveStatus.NeedMoreData, receiver.Process(ref input, handler));

        Assert.Equal(0, input.Length);
        Assert.Equal(4, ring.Cursor);
        Assert.Equal([10, 11], handler.GatewayOps);
        Assert.Equal(1, receiver.Duplicates);
        Assert.Equal(payloads[1], Text(ring, 0));
        Assert.Equal(4194304UL, Meta(ring, 0).GuildId);
        Assert.Equal(EventKind.PresenceUpdate, Meta(ring, 0).Envelope.Kind);
        Assert.Equal(EventKind.MessageCreate, Meta(ring, 4).Envelope.Kind);
        Assert.Equal(0UL, Meta(ring, 4).GuildId); // the cache ignores messages: their guild is not looked up
        Assert.Equal(8388608UL, Meta(ring, 1).GuildId);
        Assert.Equal("abc", Nonce(ring, 2));
        Assert.Equal("xyz", Nonce(ring, 3));
        Assert.Equal(4194304UL, Meta(ring, 3).GuildId);
        Assert.Equal(5, receiver.LastSequence);
    }

    [Fact]
    public void A_frame_cut_anywhere_is_published_only_once_complete()
    {
        byte[] payload = Encoding.UTF8.GetBytes("""{"t":"TYPING_START","s":1,"op":0,"d":{"channel_id":"1","guild_id":"2","user_id":"3"}}""");
        byte[] frames = ServerFrames.Build(TransportCompression.None, [payload]);
        for (int cut = 1; cut < frames.Length; cut++)
        {
            var ring = new PayloadRing<EventMeta>(4);
            using var receiver = new UpstreamReceiver(ring, 1 << 20, metrics: null);
            receiver.BeginConnection(TransportCompression.None);
            Assert.True(receiver.TryClaim());
            var first = new ReadOnlySequence<byte>(frames, 0, cut);
            receiver.Process(ref first, new RecordingHandler());
            Assert.Equal(-1, ring.Cursor);
            var rest = new ReadOnlySequence<byte>(frames, cut - (int)first.Length, frames.Length - cut + (int)first.Length);
            receiver.Process(ref rest, new RecordingHandler());
            Assert.Equal(0, ring.Cursor);
            Assert.True(payload.AsSpan().SequenceEqual(ring.Read(0, out _)), $"cut at {cut}");
        }
    }

    [Theory]
    [InlineData(TransportCompression.None)]
    [InlineData(TransportCompression.ZlibStream)]
    [InlineData(TransportCompression.ZstdStream)]
    public void Decoding_and_publishing_allocates_nothing_per_event(TransportCompression compression)
    {
        const int Events = 2000;
        const int Windows = 3;
        var payloads = new List<byte[]>();
        for (int i = 1; i <= Events * (1 + Windows); i++)
        {
            payloads.Add(Encoding.UTF8.GetBytes("{\"t\":\"MESSAGE_CREATE\",\"s\":" + i + ",\"op\":0,\"d\":{\"id\":\"" + i + "\",\"channel_id\":\"6\",\"guild_id\":\"4194304\",\"content\":\"message number " + i + " with some text in it\",\"author\":{\"id\":\"7\",\"username\":\"u\"}}}"));
        }

        byte[] frames = ServerFrames.Build(compression, payloads);
        var ring = new PayloadRing<EventMeta>(1024);
        using var receiver = new UpstreamReceiver(ring, 1 << 20, metrics: null);
        receiver.BeginConnection(compression);
        var handler = new RecordingHandler();
        Assert.True(receiver.TryClaim());
        int start = 0;
        int end = FrameBoundary(frames, Events);
        var warmup = new ReadOnlySequence<byte>(frames, start, end - start);
        receiver.Process(ref warmup, handler);

        // Best of three windows: a one-off by the runtime on this thread (a tier-up, OSR, a lazily made runtime
        // object; seen under load) shows in one window, a per-event allocation in every one.
        long allocated = long.MaxValue;
        var statuses = new ReceiveStatus[Windows];
        for (int w = 0; w < Windows; w++)
        {
            start = end;
            end = FrameBoundary(frames, Events * (w + 2));
            var measured = new ReadOnlySequence<byte>(frames, start, end - start);
            long before = GC.GetAllocatedBytesForCurrentThread();
            statuses[w] = receiver.Process(ref measured, handler);
            allocated = Math.Min(allocated, GC.GetAllocatedBytesForCurrentThread() - before);
        }

        Assert.All(statuses, status => Assert.Equal(ReceiveStatus.NeedMoreData, status));
        Assert.Equal(Events * (1 + Windows) - 1, ring.Cursor);
        Assert.Equal(0, allocated);
    }

    /// <summary>The byte offset where frame number <paramref name="count"/> starts (server frames, no mask).</summary>
    private static int FrameBoundary(byte[] frames, int count)
    {
        int offset = 0;
        for (int i = 0; i < count; i++)
        {
            int len = frames[offset + 1] & 0x7F;
            int header = 2;
            if (len == 126)
            {
                len = (frames[offset + 2] << 8) | frames[offset + 3];
                header = 4;
            }

            offset += header + len;
        }

        return offset;
    }

    private static string Text(PayloadRing<EventMeta> ring, long seq) => Encoding.UTF8.GetString(ring.Read(seq, out _));

    private static EventMeta Meta(PayloadRing<EventMeta> ring, long seq)
    {
        ring.Read(seq, out EventMeta meta);
        return meta;
    }

    private static string Nonce(PayloadRing<EventMeta> ring, long seq)
    {
        ReadOnlySpan<byte> payload = ring.Read(seq, out EventMeta meta);
        return Encoding.UTF8.GetString(payload.Slice(meta.NonceStart, meta.NonceLength));
    }

    private sealed class RecordingHandler : IReceiveHandler
    {
        public List<int> GatewayOps { get; } = [];

        public bool ShouldStop => false;

        public bool OnControlFrame(WebSocketOpcode opcode, ReadOnlySpan<byte> payload) => opcode == WebSocketOpcode.Close;

        public void OnProtocolError(string detail, ushort closeCode) => Assert.Fail(detail);

        public void OnGatewayMessage(ReadOnlySpan<byte> payload, in Envelope envelope) => GatewayOps.Add(envelope.Op);

        public void OnSessionDispatch(ReadOnlySpan<byte> payload, in Envelope envelope)
        {
        }

        public void OnBadPayload(EnvelopeError error, int length) => Assert.Fail(error.ToString());
    }
}
