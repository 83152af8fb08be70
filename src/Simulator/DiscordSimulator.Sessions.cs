using System.Text.Json;
using GatewayProxy.Protocol.Gateway;
using GatewayProxy.Simulator.Data;
using GatewayProxy.Simulator.Gateway;
using GatewayProxy.Simulator.Sessions;

namespace GatewayProxy.Simulator;

/// <summary>Session life: IDENTIFY (limits, READY, GUILD_CREATEs), RESUME (replay, RESUMED), connection loss, shard commands.</summary>
public sealed partial class DiscordSimulator
{
    private int _identifyCount;
    private int _resumeCount;

    internal async Task IdentifyAsync(GatewayConnection connection, JsonElement d)
    {
        if (!SimulatedIdentify.TryParse(d, Options, out var request, out var error))
        {
            await connection.CloseAsync((ushort)error, GatewayCloseCodes.DefaultReason(error)).ConfigureAwait(false);
            return;
        }

        var accepted = IdentifyLimits.TryAcquire(request!.ShardId, out var refusal);
        RecordIdentify(request.ShardId, accepted, refusal);
        if (!accepted)
        {
            // Refused, not fatal: the client may IDENTIFY again (on this connection or a new one) later.
            Log($"connection {connection.Id}: IDENTIFY for shard {request.ShardId} refused: {refusal}");
            connection.EnqueueInvalidSession(resumable: false);
            return;
        }

        Interlocked.Increment(ref _identifyCount);
        if (request.PayloadCompression)
        {
            connection.EnablePayloadCompression();
        }

        var shard = Shard(request.ShardId);
        lock (shard.Gate)
        {
            shard.PruneExpiredLocked();
            var session = new GatewaySession(NewSessionId(), request.ShardId, request.Intents, request.LargeThreshold, Options.ReplayBufferSize);
            session.Connection = connection;
            connection.Session = session;
            connection.Shard = request.ShardId;
            shard.Sessions.Add(session);
            var ready = ReadyBuilder.Build(State, shard.Data, session.Id, GatewayUrlString, request.ShardId, request.ShardCount);
            shard.SendLocked(session, "READY", Json.ToBytes(ready), replayable: false);
            var guildsSent = 0;
            foreach (var guild in shard.Data.Guilds)
            {
                if (InterruptBurstLocked(shard, request.ShardId, session, connection, guildsSent++))
                {
                    return;
                }

                shard.SendLocked(session, "GUILD_CREATE", GuildViews.GuildCreateBytes(guild, session.Intents, session.LargeThreshold, State.BotUserId));
            }

            session.Ready = true;
            Log($"connection {connection.Id}: shard {request.ShardId} identified, session {session.Id}, {shard.Data.Guilds.Count} guilds");
        }

        shard.Wake();
        shard.SignalReady();
    }

    internal async Task ResumeAsync(GatewayConnection connection, JsonElement d)
    {
        if (!await WaitWhileResumesHeldAsync().ConfigureAwait(false))
        {
            return;
        }

        if (d.ValueKind != JsonValueKind.Object
            || !d.TryGetProperty("token", out var token) || token.ValueKind != JsonValueKind.String
            || !d.TryGetProperty("session_id", out var sessionIdElement) || sessionIdElement.ValueKind != JsonValueKind.String)
        {
            await connection.CloseAsync((ushort)GatewayCloseCode.DecodeError, "Error while decoding payload.").ConfigureAwait(false);
            return;
        }

        if (!SimulatedIdentify.TokenMatches(token.GetString(), Options.Token))
        {
            await connection.CloseAsync((ushort)GatewayCloseCode.AuthenticationFailed, "Authentication failed.").ConfigureAwait(false);
            return;
        }

        long seq = 0;
        if (d.TryGetProperty("seq", out var seqElement) && seqElement.ValueKind != JsonValueKind.Null && !seqElement.TryInt64(out seq))
        {
            seq = -1;
        }

        var sessionId = sessionIdElement.GetString()!;
        GatewayConnection? replaced = null;
        ShardRuntime? resumedShard = null;
        foreach (var shard in _shards)
        {
            lock (shard.Gate)
            {
                shard.PruneExpiredLocked();
                var session = shard.Sessions.Find(s => s.Id == sessionId);
                if (session is null)
                {
                    continue;
                }

                if (!session.CanReplayFrom(seq))
                {
                    Log($"connection {connection.Id}: RESUME of {sessionId} from seq {seq} refused (session at {session.Seq})");
                    session.Valid = false;
                    shard.Sessions.Remove(session);
                    break;
                }

                replaced = session.Connection;
                if (replaced is not null)
                {
                    replaced.Session = null;
                }

                session.Connection = connection;
                connection.Session = session;
                connection.Shard = shard.Shard;
                var replayed = session.ReplayAfter(seq, connection);
                shard.SendLocked(session, "RESUMED", "{\"_trace\":[\"[\\\"gateway-simulator\\\",{\\\"micros\\\":0}]\"]}"u8, replayable: false);
                session.Ready = true;
                resumedShard = shard;
                Log($"connection {connection.Id}: shard {shard.Shard} resumed {sessionId} from seq {seq}, replayed {replayed}");
                break;
            }
        }

        if (resumedShard is null)
        {
            connection.EnqueueInvalidSession(resumable: false);
            return;
        }

        Interlocked.Increment(ref _resumeCount);
        resumedShard.Wake();
        resumedShard.SignalReady();
        if (replaced is not null)
        {
            // The session moved: its old connection (a zombie, usually) is closed; the session is unaffected.
            await replaced.CloseAsync((ushort)GatewayCloseCode.UnknownError, "Session resumed on another connection.").ConfigureAwait(false);
        }
    }

    /// <summary>A connection ended: its session waits for a resume, unless the close ended it (client 1000/1001, or a server close that ends sessions).</summary>
    internal void OnConnectionEnded(GatewayConnection connection)
    {
        _connections.TryRemove(connection.Id, out _);
        var shardId = connection.Shard;
        if (shardId < 0)
        {
            return;
        }

        var shard = Shard(shardId);
        lock (shard.Gate)
        {
            var session = connection.Session;
            if (session is null || session.Connection != connection)
            {
                return;
            }

            session.Connection = null;
            session.DisconnectedAtTicks = Environment.TickCount64;
            var resumable = connection.ClosedByPeer
                ? connection.PeerCloseCode is not (1000 or 1001)
                : connection.ServerCloseCode is not { } code || GatewayCloseCodes.KeepsSessionResumable(code);
            if (!resumable)
            {
                session.Valid = false;
                shard.Sessions.Remove(session);
            }

            Log($"connection {connection.Id}: shard {shardId} session {session.Id} {(resumable ? "waits for a resume" : "ended")}");
        }
    }

    /// <summary>op 3/4/8/31 for the connection's shard; false when the payload is invalid for its op.</summary>
    internal bool HandleShardCommand(GatewayConnection connection, GatewayOpcode op, JsonElement d)
    {
        var shard = Shard(connection.Shard);
        lock (shard.Gate)
        {
            var session = connection.Session;
            if (session is null)
            {
                return true;
            }

            var valid = op switch
            {
                GatewayOpcode.RequestGuildMembers => CommandResponder.RequestGuildMembers(shard, session, d),
                GatewayOpcode.PresenceUpdate => CommandResponder.UpdatePresence(shard, State.BotUserId, d),
                GatewayOpcode.VoiceStateUpdate => CommandResponder.UpdateVoiceState(shard, session, State.BotUserId, d),
                GatewayOpcode.RequestSoundboardSounds => CommandResponder.RequestSoundboardSounds(shard, session, d),
                _ => false,
            };
            shard.Data.Hot.Trim(Options.HotGuildsPerShard);
            return valid;
        }
    }
}
