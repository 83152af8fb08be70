using GatewayProxy.Egress.Server;
using System.Buffers;
using System.Buffers.Text;
using System.Runtime.CompilerServices;
using GatewayProxy.Egress.Buffers;
using GatewayProxy.Egress.Clients;
using GatewayProxy.Egress.Metrics;
using GatewayProxy.Egress.Routing;
using GatewayProxy.Egress.Sessions;
using GatewayProxy.Protocol.Events;
using GatewayProxy.Protocol.Gateway;
using GatewayProxy.Ring;
using Microsoft.Extensions.Logging;

namespace GatewayProxy.Egress.Relay;

/// <summary>The per-client relay step: one batch from the ring to the client's output.</summary>
internal sealed partial class EgressWorker
{
    private PumpResult Pump(ClientConnection client, long now)
    {
        ClientOutput output = client.Output;
        ClientSession session = client.Session!;
        RelayCursor cursor = session.Cursor;
        RingReader reader = cursor.Reader!;
        if (output.IsClosed || client.IsCloseRequested) return PumpResult.Removed;

        if (cursor.Hold is { } expired && now - expired.Deadline >= 0) cursor.ReleaseHold();

        if (output.IsFlushPending)
        {
            // The socket is the bottleneck. While the snapshot hold lasts the producer cannot overrun the client; after
            // it, a client over the limit is cut rather than let it make anyone wait.
            if (cursor.Hold is null)
            {
                if (reader.IsOverrun(reader.Position + 1)) return Cut(client, reader, ClientDisconnectReason.Overrun);
                if (reader.Lag > _backpressure) return Cut(client, reader, ClientDisconnectReason.Backpressure);
            }

            return PumpResult.Parked;
        }

        int max = MaxBatch;
        if (cursor.IsReplaying)
        {
            // Replay exactly the missed events, then RESUMED, then live events.
            long remaining = cursor.ResumeTarget - reader.Position;
            if (remaining <= 0)
            {
                WriteResumed(client, session);
                return PumpResult.More;
            }

            if (remaining < max) max = (int)remaining;
        }

        RingReadStatus status = reader.Poll(max, out long first, out long last);
        if (status == RingReadStatus.Empty)
        {
            cursor.ReleaseHold();
            return PumpResult.Idle;
        }

        if (status == RingReadStatus.Overrun) return Cut(client, reader, ClientDisconnectReason.Overrun);

        PayloadRing<EventMeta> ring = cursor.Ring;
        long done = first - 1;
        bool overrun = false;
        lock (output.SyncRoot)
        {
            // Again under the lock: a close frame written since the check above must stay the last frame on the wire.
            if (output.IsClosed) return PumpResult.Removed;
            for (long seq = first; seq <= last; seq++)
            {
                // Metadata copied, payload read in place: both validated after use (the seqlock), trimmed or overwritten alike.
                ReadOnlySpan<byte> payload = ring.Read(seq, out EventMeta meta);
                if (!RelayOne(client, session, cursor, reader, seq, in meta, payload))
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
            cursor.Hold?.Advance(done);
        }

        if (overrun) return Cut(client, reader, ClientDisconnectReason.Overrun);
        if (output.IsFaulted) return PumpResult.Removed;
        if (cursor.Map.AnchorCount > 32) cursor.Map.Prune(ring.OldestAvailable - 1);
        if (cursor.Hold is not null && reader.Lag <= _backpressure / 2) cursor.ReleaseHold();
        if (cursor.IsReplaying && reader.Position >= cursor.ResumeTarget) WriteResumed(client, session);
        return last - first + 1 >= max || reader.Lag > 0 ? PumpResult.More : PumpResult.Idle;
    }

    /// <summary>Relays, routes away or skips one event (caller holds the output lock). False: the slot was overwritten.</summary>
    private bool RelayOne(ClientConnection client, ClientSession session, RelayCursor cursor, RingReader reader, long seq, in EventMeta meta, ReadOnlySpan<byte> payload)
    {
        ref readonly Envelope envelope = ref meta.Envelope;
        // Upstream READY/RESUMED belong to the proxy's own upstream session, never to a client.
        if (envelope.Op != 0 || envelope.Kind is EventKind.Ready or EventKind.Resumed) return reader.Validate(seq);
        // Not asked for by this client's intents (the proxy's upstream intents cover all its clients): skipped, so its
        // sequence stays +1 over what it does get. One bit test; decided on the copied meta, validated like any skip.
        if (!session.Intents.Allows(envelope.Kind, meta.GuildId)) return reader.Validate(seq);
        if (meta.HasNonce) return RelayReply(client, session, cursor, reader, seq, in meta, payload);
        return RelayRouted(client, session, cursor, reader, seq, in meta, payload);
    }

    /// <summary>The rest of <see cref="RelayOne"/> once the event is the client's: reply routing, then the splice.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private bool RelayRouted(ClientConnection client, ClientSession session, RelayCursor cursor, RingReader reader, long seq, in EventMeta meta, ReadOnlySpan<byte> payload)
    {
        ref readonly Envelope envelope = ref meta.Envelope;
        if (envelope.Kind is EventKind.SoundboardSounds or EventKind.VoiceServerUpdate)
        {
            // Decide on validated metadata only: the decision is remembered for every client of the shard.
            if (!reader.Validate(seq)) return false;
            if (!IsRoutedTo(session, cursor, seq, in meta)) return true;
        }

        if ((uint)envelope.SeqStart > (uint)payload.Length || (uint)envelope.SeqLength > (uint)(payload.Length - envelope.SeqStart) || envelope.SeqLength == 0)
        {
            // Either torn (validation fails) or an event ingress published without an "s": nothing to splice into.
            if (!reader.Validate(seq)) return false;
            LogUnspliceable(seq);
            return true;
        }

        long clientSeq = session.Seq + 1;
        if (!client.Output.TryWriteSplicedLocked(reader, seq, payload, in envelope, clientSeq, _splice, _encode)) return false;
        session.Seq = clientSeq;
        cursor.Sent(clientSeq, seq);
        return true;
    }

    /// <summary>Whether a reply to one client's request (SOUNDBOARD_SOUNDS: op 31; VOICE_SERVER_UPDATE: op 4, or everyone when its
    /// requester is gone) goes to this client.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static bool IsRoutedTo(ClientSession session, RelayCursor cursor, long seq, in EventMeta meta)
    {
        if (meta.Envelope.Kind == EventKind.SoundboardSounds) return cursor.Router.Resolve(seq, meta.GuildId) == session.Number;
        long owner = cursor.Voice.Resolve(seq, meta.GuildId);
        return owner == 0 || owner == session.Number;
    }

    /// <summary>A reply to someone's op 8 (GUILD_MEMBERS_CHUNK, RATE_LIMITED): only its requester gets it, with its own nonce.</summary>
    private bool RelayReply(ClientConnection client, ClientSession session, RelayCursor cursor, RingReader reader, long seq, in EventMeta meta, ReadOnlySpan<byte> payload)
    {
        int start = meta.NonceStart;
        int length = meta.NonceLength;
        if ((uint)start > (uint)payload.Length || (uint)length > (uint)(payload.Length - start)) return reader.Validate(seq);
        byte[] prefix = session.NoncePrefix;
        if (!payload.Slice(start, length).StartsWith(prefix)) return reader.Validate(seq);

        // Ours: copy, validate, then work on the copy (slow path, rare).
        _restore.Reset();
        _restore.Write(payload);
        if (!reader.Validate(seq)) return false;
        ReadOnlySpan<byte> copy = _restore.WrittenSpan;
        byte[]? original = null;
        bool known = Utf8Parser.TryParse(copy.Slice(start + prefix.Length, length - prefix.Length), out ulong n, out int consumed, 'x')
            && consumed == length - prefix.Length
            && session.Nonces.TryGet((long)n, out original);

        _splice.Reset();
        bool rewritten = known && NonceRewriter.TryRestore(copy, start, length, original, _splice);
        ReadOnlySpan<byte> restored = rewritten ? _splice.WrittenSpan : copy;
        if (!EnvelopeScanner.TryScan(restored, out Envelope envelope, out _) || !envelope.HasSeq)
        {
            LogUnspliceable(seq);
            return true;
        }

        long clientSeq = session.Seq + 1;
        // Splice into whichever scratch does not hold the source (unknown nonces keep the proxy's: better than none).
        PooledBufferWriter target = rewritten ? _restore : _splice;
        target.Reset();
        SequenceSplice.Write(target, restored, in envelope, clientSeq);
        client.Output.TryWriteMessageLocked(target.WrittenSpan, _encode);
        session.Seq = clientSeq;
        cursor.Sent(clientSeq, seq);
        return true;
    }

    private void WriteResumed(ClientConnection client, ClientSession session)
    {
        ClientOutput output = client.Output;
        lock (output.SyncRoot)
        {
            if (output.IsClosed) return;
            long seq = session.Seq + 1;
            _restore.Reset();
            GatewayPayloads.WriteResumed(_restore, seq);
            output.TryWriteMessageLocked(_restore.WrittenSpan, _encode);
            output.CommitLocked();
            session.Seq = seq;
            foreach (RelayCursor lane in session.Lanes) lane.Resumed(seq);
        }
    }

    private static PumpResult Cut(ClientConnection client, RingReader reader, ClientDisconnectReason reason)
    {
        ClientSession session = client.Session!;
        if (reason == ClientDisconnectReason.Overrun && session.IsReplaying)
        {
            // Overrun mid-replay: RESUMED was not sent, so the session cannot continue; op 9 false, then close.
            client.FailReplay();
            return PumpResult.Removed;
        }

        // Resumable only while every ring it reads still holds the next event the client needs.
        bool keep = reason == ClientDisconnectReason.Backpressure && !session.CannotContinue;
        string text = reason == ClientDisconnectReason.Backpressure
            ? $"client fell {reader.Lag} events behind"
            : "client fell too far behind: events it had not received were overwritten";
        client.Close(GatewayCloseCode.UnknownError, text, reason, keep);
        return PumpResult.Removed;
    }

    private void LogUnspliceable(long seq) =>
        EgressLog.Unspliceable(_logger, Index, seq);
}
