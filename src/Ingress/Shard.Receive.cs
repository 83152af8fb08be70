using System.Buffers;
using System.Diagnostics;
using System.IO.Pipelines;
using System.Runtime.CompilerServices;
using GatewayProxy.Ingress.Shards;
using GatewayProxy.Protocol.Compression;
using GatewayProxy.Protocol.Events;
using GatewayProxy.Protocol.Gateway;
using GatewayProxy.Protocol.WebSockets;
using GatewayProxy.Ring;
using Microsoft.Extensions.Logging;

namespace GatewayProxy.Ingress;

/// <summary>
/// The hot path: WebSocket frames → (inflate) → the claimed ring slot → envelope scan → publish. One async loop per
/// connection; per event it runs synchronous code only and allocates nothing.
/// </summary>
/// <remarks>
/// A ring sequence is claimed before a message starts and kept until a dispatch is published into it: uncompressed
/// frames are unmasked straight into the slot's buffer, compressed ones are gathered in a reusable scratch buffer and
/// inflated straight into the slot's buffer. Non-dispatch messages (HELLO, ACK, op 7/9) are handled by the shard and
/// the same slot is reused for the next message. The claim survives reconnects (its slot is reset), so a dropped
/// connection mid-frame never publishes a torn payload.
/// </remarks>
public sealed partial class Shard
{
    private enum ReceiveStatus
    {
        NeedMoreData,
        NeedSlot,
        Ended,
    }

    private async Task<ConnectionEnd> ReceiveLoopAsync(ConnectionContext ctx)
    {
        PipeReader input = ctx.Connection.Pipe.Input;
        CancellationToken token = ctx.Token;
        if (_claimed >= 0)
        {
            Ring[_claimed].Payload.Reset();
        }

        try
        {
            while (true)
            {
                if (_claimed < 0)
                {
                    // Only when the cache updater (the gating reader) is a whole ring behind.
                    long next = Ring.TryNext(out long claimed) ? claimed : await Ring.NextAsync(token).ConfigureAwait(false);
                    Ring[next].Payload.Reset();
                    _claimed = next;
                }

                ReadResult result = await input.ReadAsync(token).ConfigureAwait(false);
                ReadOnlySequence<byte> buffer = result.Buffer;
                long available = buffer.Length;
                ReceiveStatus status = ProcessMessages(ctx, ref buffer);
                _metrics.OnWireBytes(available - buffer.Length);
                if (status == ReceiveStatus.NeedSlot)
                {
                    // Unread frames remain: consumed only, so the next read returns them at once.
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
                    return ctx.End(new ConnectionEnd(DisconnectReason.Dropped, 0, "connection closed without a close frame"));
                }
            }
        }
        catch (OperationCanceledException)
        {
            return ctx.End(new ConnectionEnd(_stopping ? DisconnectReason.Stopping : DisconnectReason.Dropped, 0, "cancelled"));
        }
        catch (Exception e) when (e is IOException or InvalidOperationException or ObjectDisposedException or System.Net.Sockets.SocketException
            or Pipelines.Sockets.Unofficial.ConnectionAbortedException or Pipelines.Sockets.Unofficial.ConnectionResetException)
        {
            return ctx.End(new ConnectionEnd(DisconnectReason.Dropped, 0, e.Message));
        }
    }

    /// <summary>Consumes every complete message of <paramref name="buffer"/> (synchronously; no allocation per event).</summary>
    private ReceiveStatus ProcessMessages(ConnectionContext ctx, ref ReadOnlySequence<byte> buffer)
    {
        IMessageDecoder? decoder = _decoder;
        while (true)
        {
            PayloadSlot<EventMeta> slot = Ring[_claimed];
            IBufferWriter<byte> sink = decoder is null ? slot.Payload : _scratch;
            WebSocketReadStatus read = _frameReader.TryRead(ref buffer, sink);
            if (read == WebSocketReadStatus.NeedMoreData)
            {
                return ReceiveStatus.NeedMoreData;
            }

            if (read != WebSocketReadStatus.Message)
            {
                if (read == WebSocketReadStatus.Error)
                {
                    WebSocketError error = _frameReader.Error;
                    ctx.End(new ConnectionEnd(DisconnectReason.ProtocolError, 0, WebSocketErrors.Describe(error)), WebSocketErrors.ToCloseCode(error));
                    return ReceiveStatus.Ended;
                }

                if (HandleControlFrame(ctx))
                {
                    return ReceiveStatus.Ended;
                }

                continue;
            }

            if (decoder is not null)
            {
                DecodeStatus decoded = decoder.Decode(_scratch.WrittenSpan, slot.Payload);
                _scratch.ResetWrittenCount();
                if (decoded == DecodeStatus.NeedMoreData)
                {
                    // A payload split over several messages: the rest follows, into the same slot.
                    continue;
                }

                if (decoded == DecodeStatus.Invalid)
                {
                    ctx.End(new ConnectionEnd(DisconnectReason.ProtocolError, 0, "cannot decompress: " + decoder.Error), ResumableCloseCode);
                    return ReceiveStatus.Ended;
                }
            }

            if (HandlePayload(ctx, slot))
            {
                if (!Ring.TryNext(out long next))
                {
                    _claimed = -1;
                    return ctx.IsEnded ? ReceiveStatus.Ended : ReceiveStatus.NeedSlot;
                }

                Ring[next].Payload.Reset();
                _claimed = next;
            }
            else
            {
                slot.Payload.Reset();
            }

            if (ctx.IsEnded && !_stopping)
            {
                return ReceiveStatus.Ended;
            }
        }
    }

    /// <summary>Scans one decoded payload; publishes it when it is a new dispatch, else lets the shard act on it.</summary>
    private bool HandlePayload(ConnectionContext ctx, PayloadSlot<EventMeta> slot)
    {
        ReadOnlySpan<byte> payload = slot.Payload.WrittenSpan;
        if (!EnvelopeScanner.TryScan(payload, out Envelope envelope, out EnvelopeError error))
        {
            OnBadPayload(error, payload.Length);
            return false;
        }

        if (envelope.Op != (int)GatewayOpcode.Dispatch)
        {
            HandleGatewayMessage(ctx, payload, in envelope);
            return false;
        }

        long seq = envelope.Seq;
        if (seq >= 0)
        {
            if (seq <= _lastSeq)
            {
                // Replayed twice (a resume overlapping what we already have): each upstream s is published once.
                _duplicates++;
                return false;
            }

            Volatile.Write(ref _lastSeq, seq);
        }

        if (envelope.Kind is EventKind.Ready or EventKind.Resumed)
        {
            OnSessionDispatch(ctx, payload, in envelope);
        }

        slot.Meta = BuildMeta(payload, in envelope);
        _metrics.OnDispatch(envelope.Kind, payload.Length);
        Ring.Publish(_claimed);
        return true;
    }

    /// <summary>The envelope plus what the cache and routing need: the guild and the nonce.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static EventMeta BuildMeta(ReadOnlySpan<byte> payload, in Envelope envelope)
    {
        EventMeta meta = EventMeta.From(in envelope);
        meta.ReceivedTimestamp = Stopwatch.GetTimestamp();
        if (envelope.DataStart < 0)
        {
            return meta;
        }

        ReadOnlySpan<byte> data = payload.Slice(envelope.DataStart, envelope.DataLength);
        switch (envelope.Kind)
        {
            case EventKind.Ready:
            case EventKind.Resumed:
                return meta;
            case EventKind.GuildCreate:
            case EventKind.GuildUpdate:
            case EventKind.GuildDelete:
                meta.GuildId = FindSnowflake(data, "id"u8);
                return meta;
            case EventKind.GuildMembersChunk:
                meta.GuildId = FindSnowflake(data, "guild_id"u8);
                FindNonce(data, envelope.DataStart, ref meta);
                return meta;
            case EventKind.RateLimited:
                if (EnvelopeScanner.TryFindProperty(data, "meta"u8, out int metaStart, out int metaLength, out bool metaIsString) && !metaIsString)
                {
                    ReadOnlySpan<byte> inner = data.Slice(metaStart, metaLength);
                    meta.GuildId = FindSnowflake(inner, "guild_id"u8);
                    FindNonce(inner, envelope.DataStart + metaStart, ref meta);
                }

                return meta;
            default:
                meta.GuildId = FindSnowflake(data, "guild_id"u8);
                return meta;
        }
    }

    private static ulong FindSnowflake(ReadOnlySpan<byte> obj, ReadOnlySpan<byte> name) =>
        EnvelopeScanner.TryFindProperty(obj, name, out int start, out int length, out _)
        && EnvelopeScanner.TryParseSnowflake(obj.Slice(start, length), out ulong id) ? id : 0;

    private static void FindNonce(ReadOnlySpan<byte> obj, int objOffset, ref EventMeta meta)
    {
        if (EnvelopeScanner.TryFindProperty(obj, "nonce"u8, out int start, out int length, out bool isString) && isString)
        {
            meta.NonceStart = objOffset + start;
            meta.NonceLength = length;
        }
    }

    private long _duplicates;
    private long _badPayloads;

    /// <summary>Dispatches dropped because their upstream sequence was already published.</summary>
    public long DuplicatesDropped => Volatile.Read(ref _duplicates);

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void OnBadPayload(EnvelopeError error, int length)
    {
        // Discord never sends this; count it and keep the connection (one bad payload is no reason to lose the session).
        if (_badPayloads++ < 10)
        {
            IngressLog.BadPayload(_logger, Id, length, error.ToString());
        }
    }
}
