using GatewayProxy.Protocol.Gateway;
using System.Text.Json;
using GatewayProxy.Egress.Metrics;
using GatewayProxy.Egress.Relay;
using GatewayProxy.Egress.Sessions;
using GatewayProxy.Protocol.Events;
using GatewayProxy.Ring;

namespace GatewayProxy.Egress.Clients;

/// <summary>RESUME: take the session over, replay the gap from the ring with the same sequence numbers, then RESUMED.</summary>
internal sealed partial class ClientConnection
{
    private void OnResume(JsonElement d)
    {
        if (d.ValueKind != JsonValueKind.Object
            || !d.TryGetProperty("token", out JsonElement token) || token.ValueKind != JsonValueKind.String
            || !d.TryGetProperty("session_id", out JsonElement sessionId) || sessionId.ValueKind != JsonValueKind.String)
        {
            Close(GatewayCloseCode.DecodeError, "decode error: RESUME needs token, session_id and seq", ClientDisconnectReason.DecodeError, keepSession: true);
            return;
        }

        long seq = 0;
        if (d.TryGetProperty("seq", out JsonElement seqValue) && seqValue.ValueKind == JsonValueKind.Number && !seqValue.TryGetInt64(out seq))
        {
            seq = -1;
        }

        string givenToken = token.GetString()!;
        if (_context.Options.ValidateToken && !ClientIdentify.TokenMatches(givenToken, _context.Options.Token))
        {
            Close(GatewayCloseCode.AuthenticationFailed, "authentication failed: invalid token", ClientDisconnectReason.AuthenticationFailed, keepSession: false);
            return;
        }

        // The bot's token proves the peer even when the session is gone (it may IDENTIFY next on this socket).
        if (_context.Options.ValidateToken) MarkAuthenticated();
        if (!_context.Sessions.TryGet(sessionId.GetString()!, out ClientSession? session)
            || (!_context.Options.ValidateToken && !ClientIdentify.TokenMatches(givenToken, session!.Token)))
        {
            SendInvalidSession();
            return;
        }

        if (session!.Generation != _context.Generation)
        {
            // Started on a shard set a reshard replaced: the client IDENTIFYs again and is served from the new set.
            SendInvalidSession();
            return;
        }

        MarkAuthenticated();

        _state = ConnectionState.Starting;
        _startTask = ResumeAsync(session!, seq, _closing.Token);
    }

    /// <summary>Takes the session over (closing a previous connection still holding it), then replays from the ring
    /// every event after <paramref name="seq"/> with the same client sequence numbers, then RESUMED.</summary>
    private async Task ResumeAsync(ClientSession session, long seq, CancellationToken ct)
    {
        try
        {
            if (!await TryClaimAsync(session, ct).ConfigureAwait(false))
            {
                SendInvalidSession();
                return;
            }

            Session = session;
            // A reshard's switch that ran while the session was being claimed did not see it: op 7 from here (as BeginStart).
            Interlocked.MemoryBarrier();
            if (session.Generation != _context.Generation) RequestReconnect();
            // Every ring the session reads restarts after the event it had sent as (or before) client seq `seq`.
            RelayCursor[] lanes = session.Lanes;
            var positions = new long[lanes.Length];
            var holds = new SnapshotHold?[lanes.Length];
            bool ok = true;
            for (int k = 0; k < lanes.Length && ok; k++)
            {
                PayloadRing<EventMeta> ring = lanes[k].Ring;
                ok = lanes[k].Map.TryGetRingPosition(seq, session.Seq, out positions[k]);
                if (!ok) break;
                holds[k] = SnapshotHold.TryCreate(ring, positions[k], _context.Options.SnapshotHold);
                // The ring must still hold every event after the position.
                ok = positions[k] + 1 > ring.Cursor || !ring.IsOverrun(positions[k] + 1);
            }

            if (!ok)
            {
                foreach (SnapshotHold? held in holds) held?.Release();
                ReleaseSession(session, keep: true);
                Session = null;
                SendInvalidSession();
                return;
            }

            for (int k = 0; k < lanes.Length; k++)
            {
                PayloadRing<EventMeta> ring = lanes[k].Ring;
                lanes[k].ResumeAt(ring.AddReader(positions[k]), seq);
                lanes[k].Begin(holds[k], Math.Max(positions[k], ring.Cursor));
            }

            session.Seq = seq;
            if (session.PayloadCompression && Output.Transport == Protocol.Compression.TransportCompression.None)
            {
                Output.EnablePayloadCompression(_context.Options.PayloadCompressionThreshold, _context.Metrics.BytesFor(Output.Transport, payloadCompression: true));
            }

            ct.ThrowIfCancellationRequested();
            Attach(session);
        }
        catch (OperationCanceledException)
        {
            // Closing.
        }
        catch (TimeoutException)
        {
            SendInvalidSession();
        }
    }

    /// <summary>Called by the relay worker when a RESUME replay is overrun before RESUMED: the session lost events it can
    /// never replay, so the client is told to IDENTIFY afresh (INVALID_SESSION <c>d:false</c>, delivered) and then closed.</summary>
    /// <remarks>A bare <see cref="GatewayCloseCode.UnknownError"/> here would make the library RESUME again, into the same hole, instead of identifying.</remarks>
    public void FailReplay()
    {
        Output.TrySend(InvalidSessionFalse);
        Close(GatewayCloseCode.UnknownError, "resume failed: events to replay were overwritten before they were sent; identify again",
            ClientDisconnectReason.Overrun, keepSession: false);
    }

    private async Task<bool> TryClaimAsync(ClientSession session, CancellationToken ct)
    {
        for (int attempt = 0; attempt < 3; attempt++)
        {
            ClientConnection? holder;
            lock (session.SyncRoot)
            {
                if (session.Ended) return false;
                holder = session.Connection;
                if (holder is null)
                {
                    session.Connection = this;
                    return true;
                }
            }

            if (ReferenceEquals(holder, this)) return false;
            // The old socket is probably a zombie the client already gave up on: close it and wait until it lets go.
            holder.Close(GatewayCloseCode.SessionTimedOut, "session resumed on another connection", ClientDisconnectReason.Replaced, keepSession: true);
            await holder.SessionReleased.WaitAsync(_context.Options.CloseTimeout + TimeSpan.FromSeconds(5), ct).ConfigureAwait(false);
        }

        return false;
    }
}
