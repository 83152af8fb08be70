using GatewayProxy.Shards;
using GatewayProxy.Egress.Server;
using System.Buffers;
using System.Text.Json;
using GatewayProxy.Egress.Buffers;
using GatewayProxy.Egress.Metrics;
using GatewayProxy.Egress.Relay;
using GatewayProxy.Egress.Sessions;
using GatewayProxy.Protocol.Events;
using GatewayProxy.Protocol.Gateway;
using GatewayProxy.Cache;
using GatewayProxy.Ring;
using Microsoft.Extensions.Logging;

namespace GatewayProxy.Egress.Clients;

/// <summary>Starting a session: IDENTIFY → READY + GUILD_CREATEs from a snapshot, held against a busy producer.</summary>
internal sealed partial class ClientConnection
{
    private static readonly byte[] InvalidSessionFalse = BuildInvalidSession();

    private void OnIdentify(JsonElement d)
    {
        EgressOptions options = _context.Options;
        if (!ClientIdentify.TryParse(d, out ClientIdentify? request, out GatewayCloseCode code, out string? reason))
        {
            Close(code, reason!, ClientDisconnectReasons.ForIdentifyRefusal(code), keepSession: false);
            return;
        }

        if (options.ValidateToken && !ClientIdentify.TokenMatches(request!.Token, options.Token))
        {
            Close(GatewayCloseCode.AuthenticationFailed, "authentication failed: invalid token", ClientDisconnectReason.AuthenticationFailed, keepSession: false);
            return;
        }

        MarkAuthenticated();
        ShardSet set = _context.CurrentSet;
        IShardDirectory shards = set.Directory;
        IShardFeed? feed = null;
        if (request!.ShardCount == shards.TotalShards && request.ShardId >= shards.ShardStart && request.ShardId < shards.ShardEnd)
        {
            feed = shards.GetShard(request.ShardId);
        }

        if (feed is null && request.ShardCount != shards.TotalShards)
        {
            OnIdentifyVirtual(request, set);
            return;
        }

        if (feed is null)
        {
            Close(GatewayCloseCode.InvalidShard, $"invalid shard [{request.ShardId}, {request.ShardCount}]: this proxy serves shards [{shards.ShardStart}, {shards.ShardEnd}) of {shards.TotalShards}",
                ClientDisconnectReason.InvalidShard, keepSession: false);
            return;
        }

        var session = new ClientSession(ClientSession.NewId(), _context.Sessions.NextNumber(), request.Token, feed, _context.RouterFor(feed.ShardId),
            _context.VoiceRouterFor(feed.ShardId), default, request.PayloadCompression)
        {
            Generation = set.Generation,
            // Missing intents (pre-v8 habits) are tolerated: such a client gets everything, as before intents existed.
            Intents = request.IntentsGiven ? IntentFilter.For(request.Intents) : IntentFilter.All,
        };
        BeginStart(session, request);
        _startTask = StartAsync(session, request, _closing.Token);
    }

    /// <summary>The session is the connection's; READY may wait for the shards.</summary>
    private void BeginStart(ClientSession session, ClientIdentify request)
    {
        session.Connection = this;
        Session = session;
        _state = ConnectionState.Starting;
        // A switch to a new shard set between reading the set and publishing Session sent this connection no op 7:
        // send it here (the switch publishes the set, then reads every Session; this publishes Session, then reads the set).
        Interlocked.MemoryBarrier();
        if (session.Generation != _context.Generation) RequestReconnect();
        // Some libraries (Eris) send no heartbeat until READY, which may wait for the shard: not enforced until then.
        Volatile.Write(ref _heartbeatEnforced, false);
        if (request.PayloadCompression && Output.Transport == Protocol.Compression.TransportCompression.None)
        {
            Output.EnablePayloadCompression(_context.Options.PayloadCompressionThreshold, _context.Metrics.BytesFor(Output.Transport, payloadCompression: true));
        }
    }

    /// <summary>Waits for the shard, sends READY and one GUILD_CREATE/GUILD_DELETE per guild from one snapshot, then
    /// hands the session to a worker reading the ring from the snapshot's position (nothing lost, nothing twice).</summary>
    private async Task StartAsync(ClientSession session, ClientIdentify request, CancellationToken ct)
    {
        SnapshotHold? hold = null;
        RingReader? reader = null;
        try
        {
            IShardFeed feed = session.Feed;
            if (!feed.IsReady) await feed.WaitReadyAsync(ct).ConfigureAwait(false);
            ct.ThrowIfCancellationRequested();
            // A READY + GUILD_CREATE burst is the largest thing a client costs: none starts near the memory limit (a flood
            // of clients past the upgrade in one instant must not build theirs all at once; docs/operations.md, "Memory limit").
            if (RefusedForMemory()) return;

            PayloadRing<EventMeta> ring = feed.Ring;
            (IShardSnapshot snapshot, hold) = await TakeHeldSnapshotAsync(feed, ring, ct).ConfigureAwait(false);
            reader = ring.AddReader(snapshot.Position);
            ulong botUserId = _context.Options.BotUserIdOverride ?? ReadUserId(snapshot.BotUserJson);
            var guildOptions = GuildCreateOptions.FromIdentify(request.Intents, request.LargeThreshold, botUserId);
            var guilds = new List<ulong>(snapshot.GuildCount);
            foreach (ulong id in snapshot.GuildIds) guilds.Add(id);

            using var scratch = new PooledBufferWriter(16 * 1024);
            ReadyWriter.Write(scratch, snapshot.BotUserJson, System.Runtime.InteropServices.CollectionsMarshal.AsSpan(guilds), session.Id,
                _context.ResumeUrl, feed.ShardId, _context.Shards.TotalShards, snapshot.ApplicationJson);
            if (!Output.TrySend(scratch.WrittenSpan)) return;
            _context.Sessions.Add(session);

            long seq = ReadyWriter.ReadySequence;
            foreach (ulong guildId in guilds)
            {
                seq++;
                scratch.Reset();
                WriteGuild(scratch, snapshot, guildId, seq, guildOptions);
                if (!Output.TrySend(scratch.WrittenSpan)) return;
                // Let the socket set the pace: the burst may be megabytes. A client that cannot take it while memory runs
                // low is the newest, so the first to go.
                if (Output.IsFlushPending)
                {
                    if (RefusedForMemory()) return;
                    await Output.WhenFlushedAsync().WaitAsync(ct).ConfigureAwait(false);
                }
            }

            session.Cursor.StartAt(reader, seq, snapshot.Position);
            session.Seq = seq;
            reader = null;
            ct.ThrowIfCancellationRequested();
            Attach(session, hold, resumeTarget: RelayCursor.NoResume);
            hold = null;
        }
        catch (OperationCanceledException)
        {
            // The connection is closing.
        }
        catch (OutOfMemoryException)
        {
            // The heap is at its limit: this session's burst could not be built; the client is told so, and only it.
            Close(GatewayCloseCode.UnknownError, ProxyServer.LowMemoryReason, ClientDisconnectReason.LowMemory, keepSession: false);
        }
        catch (Exception e)
        {
            EgressLog.StartFailed(_context.Logger, e, session.Feed.ShardId);
            Close(GatewayCloseCode.UnknownError, "unknown error: the proxy could not start the session", ClientDisconnectReason.SessionStartFailed, keepSession: false);
        }
        finally
        {
            hold?.Release();
            reader?.Dispose();
        }
    }

    /// <summary>Closes the connection with 4000 "the proxy is low on memory" when the memory guard refuses new clients now.</summary>
    private bool RefusedForMemory()
    {
        if (!_context.Memory.RefusesNow()) return false;
        Close(GatewayCloseCode.UnknownError, ProxyServer.LowMemoryReason, ClientDisconnectReason.LowMemory, keepSession: false);
        return true;
    }

    /// <summary>A snapshot and a hold on the ring exactly at its position (null when holds are off or impossible).</summary>
    /// <remarks>The producer is held at the cursor first, so it cannot run a ring's length past the snapshot while the
    /// snapshot is taken; the hold then moves up to the snapshot's position. A cache that lags the cursor gets a hold
    /// exactly at its position, or a few short retries to catch up (the guard keeps the producer bounded meanwhile).</remarks>
    private async Task<(IShardSnapshot Snapshot, SnapshotHold? Hold)> TakeHeldSnapshotAsync(IShardFeed feed, PayloadRing<EventMeta> ring, CancellationToken ct)
    {
        SnapshotHold? guard = SnapshotHold.TryCreateAtCursor(ring, _context.Options.SnapshotHold);
        if (guard is null) return (feed.TakeSnapshot(), null);
        try
        {
            for (int attempt = 0; ; attempt++)
            {
                IShardSnapshot snapshot = feed.TakeSnapshot();
                if (snapshot.Position >= guard.Position)
                {
                    guard.Advance(snapshot.Position);
                    SnapshotHold held = guard;
                    guard = null;
                    return (snapshot, held);
                }

                SnapshotHold? exact = SnapshotHold.TryCreate(ring, snapshot.Position, _context.Options.SnapshotHold);
                if (exact is not null || attempt == 4) return (snapshot, exact);
                await Task.Delay(1 << attempt, ct).ConfigureAwait(false);
            }
        }
        finally
        {
            guard?.Release();
        }
    }

    internal static void WriteGuild(PooledBufferWriter scratch, IShardSnapshot snapshot, ulong guildId, long seq, in GuildCreateOptions options)
    {
        if (!snapshot.IsUnavailable(guildId))
        {
            ReadyWriter.WriteDispatchHead(scratch, "GUILD_CREATE"u8, seq);
            if (snapshot.TryWriteGuildCreate(guildId, scratch, options))
            {
                scratch.Write("}"u8);
                return;
            }

            // The guild vanished from the cache: every READY guild must still be answered (discord.js waits for each).
            scratch.Reset();
        }

        ReadyWriter.WriteUnavailableGuild(scratch, guildId, seq);
    }

    internal static ulong ReadUserId(ReadOnlySpan<byte> userJson) =>
        EnvelopeScanner.TryFindProperty(userJson, "id"u8, out int start, out int length, out _)
        && EnvelopeScanner.TryParseSnowflake(userJson.Slice(start, length), out ulong id) ? id : 0;

    /// <summary>op 9 <c>d:false</c>, flushed; the socket stays open and the client may IDENTIFY on it (as Discord allows).</summary>
    private void SendInvalidSession()
    {
        _state = ConnectionState.AwaitingIdentify;
        Output.TrySend(InvalidSessionFalse);
    }

    private static byte[] BuildInvalidSession()
    {
        var writer = new System.Buffers.ArrayBufferWriter<byte>(48);
        GatewayPayloads.WriteInvalidSession(writer, resumable: false);
        return writer.WrittenSpan.ToArray();
    }
}
