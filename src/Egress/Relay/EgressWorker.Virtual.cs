using GatewayProxy.Egress.Clients;
using GatewayProxy.Egress.Metrics;
using GatewayProxy.Egress.Routing;
using GatewayProxy.Egress.Sessions;
using GatewayProxy.Protocol.Events;
using GatewayProxy.Protocol.Gateway;
using GatewayProxy.Ring;

namespace GatewayProxy.Egress.Relay;

/// <summary>The relay step of a virtual-shard client: one batch from each ring it reads, filtered to its guilds, merged
/// into its one sequence (docs/architecture.md, "Virtual shards").</summary>
/// <remarks>
/// Each lane is read in its ring's order, so every guild (which lives on exactly one upstream shard) keeps its upstream
/// order; across lanes the batches interleave, as events of different guilds may with Discord. Holds, overrun and the
/// backpressure limit are per lane, as for a client of one shard. A RESUME replay ends when every lane has reached its
/// target; RESUMED is sent once, then all lanes go live.
/// </remarks>
internal sealed partial class EgressWorker
{
    private PumpResult PumpVirtual(ClientConnection client, long now)
    {
        ClientOutput output = client.Output;
        ClientSession session = client.Session!;
        if (output.IsClosed || client.IsCloseRequested) return PumpResult.Removed;
        RelayCursor[] lanes = session.Lanes;
        foreach (RelayCursor lane in lanes)
        {
            if (lane.Hold is { } expired && now - expired.Deadline >= 0) lane.ReleaseHold();
        }

        if (output.IsFlushPending)
        {
            foreach (RelayCursor lane in lanes)
            {
                if (lane.Hold is not null) continue;
                RingReader reader = lane.Reader!;
                if (reader.IsOverrun(reader.Position + 1)) return Cut(client, reader, ClientDisconnectReason.Overrun);
                if (reader.Lag > _backpressure) return Cut(client, reader, ClientDisconnectReason.Backpressure);
            }

            return PumpResult.Parked;
        }

        bool more = false;
        foreach (RelayCursor lane in lanes)
        {
            PumpResult result = PumpLane(client, session, lane);
            if (result == PumpResult.Removed) return result;
            if (result == PumpResult.More) more = true;
        }

        if (session.IsReplaying && AllReplayed(lanes))
        {
            WriteResumed(client, session);
            more = true;
        }

        return more ? PumpResult.More : PumpResult.Idle;
    }

    private static bool AllReplayed(RelayCursor[] lanes)
    {
        foreach (RelayCursor lane in lanes)
        {
            if (lane.IsReplaying && lane.Reader!.Position < lane.ResumeTarget) return false;
        }

        return true;
    }

    /// <summary>One batch of one lane (Idle, More or Removed).</summary>
    private PumpResult PumpLane(ClientConnection client, ClientSession session, RelayCursor lane)
    {
        ClientOutput output = client.Output;
        RingReader reader = lane.Reader!;
        int max = MaxBatch;
        if (lane.IsReplaying)
        {
            long remaining = lane.ResumeTarget - reader.Position;
            if (remaining <= 0) return PumpResult.Idle;
            if (remaining < max) max = (int)remaining;
        }

        RingReadStatus status = reader.Poll(max, out long first, out long last);
        if (status == RingReadStatus.Empty)
        {
            lane.ReleaseHold();
            return PumpResult.Idle;
        }

        if (status == RingReadStatus.Overrun) return Cut(client, reader, ClientDisconnectReason.Overrun);

        PayloadRing<EventMeta> ring = lane.Ring;
        long done = first - 1;
        bool overrun = false;
        lock (output.SyncRoot)
        {
            if (output.IsClosed) return PumpResult.Removed;
            for (long seq = first; seq <= last; seq++)
            {
                ReadOnlySpan<byte> payload = ring.Read(seq, out EventMeta meta);
                if (!RelayVirtual(client, session, lane, reader, seq, in meta, payload))
                {
                    overrun = true;
                    break;
                }

                done = seq;
            }

            output.CommitLocked();
        }

        if (done >= first)
        {
            reader.Advance(done);
            lane.Hold?.Advance(done);
        }

        if (overrun) return Cut(client, reader, ClientDisconnectReason.Overrun);
        if (output.IsFaulted) return PumpResult.Removed;
        if (lane.Map.AnchorCount > 32) lane.Map.Prune(ring.OldestAvailable - 1);
        if (lane.Hold is not null && reader.Lag <= _backpressure / 2) lane.ReleaseHold();
        if (lane.IsReplaying) return reader.Position < lane.ResumeTarget ? PumpResult.More : PumpResult.Idle;
        return last - first + 1 >= max || reader.Lag > 0 ? PumpResult.More : PumpResult.Idle;
    }

    /// <summary><see cref="RelayOne"/> for a virtual shard: the same steps, plus the guild filter.</summary>
    private bool RelayVirtual(ClientConnection client, ClientSession session, RelayCursor lane, RingReader reader, long seq, in EventMeta meta, ReadOnlySpan<byte> payload)
    {
        ref readonly Envelope envelope = ref meta.Envelope;
        if (envelope.Op != 0 || envelope.Kind is EventKind.Ready or EventKind.Resumed) return reader.Validate(seq);
        if (!session.Intents.Allows(envelope.Kind, meta.GuildId)) return reader.Validate(seq);
        // A reply to this client's own request is its own, whichever guild it names; other clients' replies are skipped there.
        if (meta.HasNonce) return RelayReply(client, session, lane, reader, seq, in meta, payload);
        // Decided on bytes read in place: a skip is validated here, a relay by the splice, so a torn read is an overrun.
        ulong guildId = meta.GuildId != 0 ? meta.GuildId : EventGuild.Find(payload, in envelope);
        if (!session.Virtual.Accepts(guildId, lane.ShardId)) return reader.Validate(seq);
        return RelayRouted(client, session, lane, reader, seq, in meta, payload);
    }
}
