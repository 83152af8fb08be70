using GatewayProxy.Egress.Buffers;
using GatewayProxy.Egress.Clients;
using GatewayProxy.Protocol.Events;
using GatewayProxy.Ring;
using Xunit;

namespace GatewayProxy.Tests.Egress.Support;

/// <summary>The relay worker's per-batch step, for allocation tests that drive a <see cref="ClientOutput"/> directly.</summary>
internal static class TestRelay
{
    /// <summary>Polls one batch (up to 256 events), splices every event into <paramref name="output"/> under its lock with
    /// consecutive client sequences, flushes once, and advances the reader.</summary>
    public static void WriteBatch(PayloadRing<EventMeta> ring, RingReader reader, ClientOutput output, ref long clientSeq,
        PooledBufferWriter splice, PooledBufferWriter encode)
    {
        Assert.Equal(RingReadStatus.Ready, reader.Poll(256, out long first, out long last));
        lock (output.SyncRoot)
        {
            for (long seq = first; seq <= last; seq++)
            {
                ReadOnlySpan<byte> payload = ring.Read(seq, out EventMeta meta);
                Assert.True(output.TryWriteSplicedLocked(reader, seq, payload, in meta.Envelope, ++clientSeq, splice, encode));
            }

            output.CommitLocked();
        }

        reader.Advance(last);
    }
}
