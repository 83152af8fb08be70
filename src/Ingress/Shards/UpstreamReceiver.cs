using System.Buffers;
using System.Diagnostics;
using System.Runtime.CompilerServices;
using GatewayProxy.Cache;
using GatewayProxy.Ingress.Metrics;
using GatewayProxy.Protocol.Compression;
using GatewayProxy.Protocol.Events;
using GatewayProxy.Protocol.Gateway;
using GatewayProxy.Protocol.WebSockets;
using GatewayProxy.Ring;
using GatewayProxy.Ring.Memory;

namespace GatewayProxy.Ingress.Shards;

/// <summary>
/// The hot path of a shard: WebSocket frames → (inflate) → the claimed ring slot → envelope scan → publish. Runs
/// synchronously over whatever bytes the transport has, and allocates nothing per event.
/// </summary>
/// <remarks>
/// A ring sequence is claimed before a message starts and kept until a dispatch is published into it: uncompressed
/// frames are unmasked straight into the ring's payload writer (the shard's byte log), compressed ones are gathered in
/// a reusable scratch buffer and inflated straight into it. Non-dispatch messages go to the handler and their bytes are
/// discarded for the next message. The claim survives reconnects (the payload in progress is discarded), so a
/// connection dropped mid-frame never publishes a torn payload. Each upstream <c>s</c> is published once: a replay that overlaps what the ring already
/// has is dropped by sequence.
/// </remarks>
internal sealed class UpstreamReceiver : IDisposable
{
    private readonly PayloadRing<EventMeta> _ring;
    private readonly WebSocketMessageReader _frameReader;
    private readonly ArrayBufferWriter<byte> _scratch = new(64 * 1024);
    private readonly ShardMetrics? _metrics;
    private IMessageDecoder? _decoder;
    private long _claimed = -1;
    private long _lastSeq;
    private long _duplicates;

    public UpstreamReceiver(PayloadRing<EventMeta> ring, int maxMessageSize, ShardMetrics? metrics)
    {
        _ring = ring;
        _metrics = metrics;
        // Upstream is Discord: UTF-8 validation would cost a pass over every payload for nothing.
        _frameReader = new WebSocketMessageReader(WebSocketRole.Client, maxMessageSize, validateUtf8: false);
    }

    /// <summary>The last upstream sequence published in the current session (0 before any).</summary>
    public long LastSequence
    {
        get => Volatile.Read(ref _lastSeq);
        set => Volatile.Write(ref _lastSeq, value);
    }

    /// <summary>Dispatches dropped because their sequence was already published.</summary>
    public long Duplicates => Volatile.Read(ref _duplicates);

    /// <summary>True while a ring sequence is claimed for the next message.</summary>
    public bool HasClaim => _claimed >= 0;

    /// <summary>Prepares for a new connection: fresh frame state and decompression context; the claimed slot is emptied.</summary>
    public void BeginConnection(TransportCompression compression)
    {
        _frameReader.Reset();
        _scratch.ResetWrittenCount();
        _decoder?.Dispose();
        _decoder = MessageCodecs.CreateDecoder(compression);
        _ring.Writer.Reset();
    }

    /// <summary>Claims the next slot without waiting; false when the gating reader is a whole ring behind.</summary>
    public bool TryClaim()
    {
        if (_claimed >= 0)
        {
            return true;
        }

        if (!_ring.TryNext(out long next))
        {
            return false;
        }

        _ring.Writer.Reset();
        _claimed = next;
        return true;
    }

    /// <summary>Claims the next slot, waiting (no thread held) for the gating reader.</summary>
    /// <remarks>Pooled builder: a shard whose ring is full waits here once per receive, which must not allocate a state machine each time.</remarks>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    public async ValueTask ClaimAsync(CancellationToken ct)
    {
        if (TryClaim())
        {
            return;
        }

        long next = await _ring.NextAsync(ct).ConfigureAwait(false);
        _ring.Writer.Reset();
        _claimed = next;
    }

    /// <summary>Consumes every complete message of <paramref name="buffer"/> (advancing it); a slot must be claimed.</summary>
    public ReceiveStatus Process(ref ReadOnlySequence<byte> buffer, IReceiveHandler handler)
    {
        Debug.Assert(_claimed >= 0, "claim a slot first");
        IMessageDecoder? decoder = _decoder;
        PayloadWriter payload = _ring.Writer;
        while (true)
        {
            IBufferWriter<byte> sink = decoder is null ? payload : _scratch;
            WebSocketReadStatus read = _frameReader.TryRead(ref buffer, sink);
            if (read == WebSocketReadStatus.NeedMoreData)
            {
                return ReceiveStatus.NeedMoreData;
            }

            if (read != WebSocketReadStatus.Message)
            {
                if (read == WebSocketReadStatus.Error)
                {
                    handler.OnProtocolError(WebSocketErrors.Describe(_frameReader.Error), WebSocketErrors.ToCloseCode(_frameReader.Error));
                    return ReceiveStatus.Ended;
                }

                if (handler.OnControlFrame(_frameReader.ControlOpcode, _frameReader.ControlPayload))
                {
                    return ReceiveStatus.Ended;
                }

                continue;
            }

            if (decoder is not null)
            {
                DecodeStatus decoded = decoder.Decode(_scratch.WrittenSpan, payload);
                _scratch.ResetWrittenCount();
                if (decoded == DecodeStatus.NeedMoreData)
                {
                    // A payload split over several messages: the rest follows, into the same slot.
                    continue;
                }

                if (decoded == DecodeStatus.Invalid)
                {
                    handler.OnProtocolError("cannot decompress: " + decoder.Error, Shard.ResumableCloseCode);
                    return ReceiveStatus.Ended;
                }
            }

            if (TryPublish(payload, handler))
            {
                _claimed = -1;
                if (!TryClaim())
                {
                    return handler.ShouldStop ? ReceiveStatus.Ended : ReceiveStatus.NeedSlot;
                }
            }
            else
            {
                payload.Reset();
            }

            if (handler.ShouldStop)
            {
                return ReceiveStatus.Ended;
            }
        }
    }

    public void Dispose()
    {
        _decoder?.Dispose();
        _decoder = null;
    }

    /// <summary>Scans one decoded payload; publishes it when it is a new dispatch, else hands it to the handler.</summary>
    private bool TryPublish(PayloadWriter writer, IReceiveHandler handler)
    {
        ReadOnlySpan<byte> payload = writer.WrittenSpan;
        if (!EnvelopeScanner.TryScan(payload, out Envelope envelope, out EnvelopeError error))
        {
            handler.OnBadPayload(error, payload.Length);
            return false;
        }

        if (envelope.Op != (int)GatewayOpcode.Dispatch)
        {
            handler.OnGatewayMessage(payload, in envelope);
            return false;
        }

        long seq = envelope.Seq;
        if (seq >= 0)
        {
            if (seq <= _lastSeq)
            {
                // Replayed twice (a resume overlapping what the ring already has): each upstream s is published once.
                _duplicates++;
                return false;
            }

            Volatile.Write(ref _lastSeq, seq);
        }

        if (envelope.Kind is EventKind.Ready or EventKind.Resumed)
        {
            handler.OnSessionDispatch(payload, in envelope);
        }

        EventMeta meta = BuildMeta(payload, in envelope);
        _metrics?.OnDispatch(envelope.Kind, payload.Length);
        _ring.Publish(_claimed, in meta);
        return true;
    }

    /// <summary>The envelope plus what the cache and routing need: the guild (<c>d.id</c> for GUILD_*, <c>d.guild_id</c> for the
    /// other events the cache applies and for replies, VOICE_SERVER_UPDATE included, 0 otherwise) and the nonce of GUILD_MEMBERS_CHUNK / RATE_LIMITED.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static EventMeta BuildMeta(ReadOnlySpan<byte> payload, in Envelope envelope)
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
            case EventKind.VoiceServerUpdate:
                // Routed to the client that asked for it (op 4) by its guild.
                meta.GuildId = FindSnowflake(data, "guild_id"u8);
                return meta;
            case EventKind.TypingStart:
            case EventKind.ChannelPinsUpdate:
            case EventKind.MessageDelete:
            case EventKind.MessageReactionAdd:
            case EventKind.MessageReactionRemove:
            case EventKind.MessageReactionRemoveAll:
            case EventKind.MessageReactionRemoveEmoji:
            case EventKind.MessagePollVoteAdd:
            case EventKind.MessagePollVoteRemove:
                // Small events gated by a guild intent or a DM intent: egress filters each client by its own intents, and
                // the guild id (absent in a DM) says which of the two applies.
                meta.GuildId = FindSnowflake(data, "guild_id"u8);
                return meta;
            default:
                // Only the events the cache applies (SOUNDBOARD_SOUNDS, which is also routed, among them) need their guild: a
                // MESSAGE_CREATE's guild_id comes last, after kilobytes of nested content, so looking it up for every event
                // would double the cost.
                if (CacheEvents.FromKind(envelope.Kind) != CacheEvent.None)
                {
                    meta.GuildId = FindSnowflake(data, "guild_id"u8);
                }

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
}
