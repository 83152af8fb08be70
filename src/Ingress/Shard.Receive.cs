using System.Buffers;
using System.IO.Pipelines;
using System.Runtime.CompilerServices;
using GatewayProxy.Ingress.Shards;
using GatewayProxy.Protocol.Gateway;
using GatewayProxy.Protocol.WebSockets;

namespace GatewayProxy.Ingress;

/// <summary>The read loop of one connection: transport bytes into <see cref="UpstreamReceiver"/> (the hot path), one async loop per connection.</summary>
public sealed partial class Shard
{
    private long _badPayloads;

    /// <summary>Dispatches dropped because their upstream sequence was already published.</summary>
    public long DuplicatesDropped => _receiver.Duplicates;

    private async Task<ConnectionEnd> ReceiveLoopAsync(ConnectionContext ctx)
    {
        PipeReader input = ctx.Connection.Pipe.Input;
        CancellationToken token = ctx.Token;
        var handler = new ConnectionHandler(this, ctx);
        _receiver.BeginConnection(_settings.Compression);
        try
        {
            while (true)
            {
                if (!_receiver.HasClaim)
                {
                    // Only when the cache updater (the gating reader) is a whole ring behind.
                    await _receiver.ClaimAsync(token).ConfigureAwait(false);
                }

                ReadResult result = await input.ReadAsync(token).ConfigureAwait(false);
                ReadOnlySequence<byte> buffer = result.Buffer;
                long available = buffer.Length;
                ReceiveStatus status = _receiver.Process(ref buffer, handler);
                _metrics.OnWireBytes(available - buffer.Length);
                if (status == ReceiveStatus.NeedSlot)
                {
                    // Unread frames remain: mark only what was consumed, so the next read returns them at once.
                    input.AdvanceTo(buffer.Start);
                    continue;
                }

                input.AdvanceTo(buffer.Start, buffer.End);
                if (status == ReceiveStatus.Ended)
                {
                    return ctx.EndState;
                }

                if (result.IsCompleted || result.IsCanceled)
                {
                    return ctx.End(new ConnectionEnd(UpstreamEndReason.Dropped, 0, "connection closed without a close frame"));
                }
            }
        }
        catch (OperationCanceledException)
        {
            return ctx.End(new ConnectionEnd(_stopping ? UpstreamEndReason.Stopping : UpstreamEndReason.Dropped, 0, "cancelled"));
        }
        catch (Exception e)
        {
            // Whatever the transport throws (IOException, SocketException, TLS or pipe errors), the connection is gone
            // and the session is still resumable: never let it stop the shard.
            return ctx.End(new ConnectionEnd(UpstreamEndReason.Dropped, 0, e.GetType().Name + ": " + e.Message));
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void OnBadPayload(EnvelopeError error, int length)
    {
        // Discord never sends this; count it and keep the connection (one bad payload is no reason to lose the session).
        if (_badPayloads++ < 10)
        {
            IngressLog.BadPayload(_logger, Id, length, error.ToString());
        }
    }

    /// <summary>The receive path's callbacks for one connection.</summary>
    private sealed class ConnectionHandler(Shard shard, ConnectionContext ctx) : IReceiveHandler
    {
        public bool ShouldStop => ctx.IsEnded && !shard._stopping;

        public bool OnControlFrame(WebSocketOpcode opcode, ReadOnlySpan<byte> payload) => Shard.HandleControlFrame(ctx, opcode, payload);

        public void OnProtocolError(string detail, ushort closeCode) =>
            ctx.End(new ConnectionEnd(UpstreamEndReason.ProtocolError, 0, detail), closeCode);

        public void OnGatewayMessage(ReadOnlySpan<byte> payload, in Envelope envelope) => shard.HandleGatewayMessage(ctx, payload, in envelope);

        public void OnSessionDispatch(ReadOnlySpan<byte> payload, in Envelope envelope) => shard.OnSessionDispatch(ctx, payload, in envelope);

        public void OnBadPayload(EnvelopeError error, int length) => shard.OnBadPayload(error, length);
    }
}
