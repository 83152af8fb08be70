using GatewayProxy.Cache;
using GatewayProxy.Egress.Buffers;
using GatewayProxy.Egress.Metrics;
using GatewayProxy.Egress.Relay;
using GatewayProxy.Egress.Routing;
using GatewayProxy.Egress.Server;
using GatewayProxy.Egress.Sessions;
using GatewayProxy.Protocol.Events;
using GatewayProxy.Protocol.Gateway;
using GatewayProxy.Ring;
using GatewayProxy.Shards;

namespace GatewayProxy.Egress.Clients;

/// <summary>Starting a virtual-shard session: a client whose shard count differs from the upstream one reads every upstream
/// shard that can hold one of its guilds (docs/architecture.md, "Virtual shards").</summary>
internal sealed partial class ClientConnection
{
    private void OnIdentifyVirtual(ClientIdentify request, ShardSet set)
    {
        IShardDirectory shards = set.Directory;
        if (request.ShardCount is < 1 or > VirtualShard.MaxCount || request.ShardId < 0 || request.ShardId >= request.ShardCount)
        {
            Close(GatewayCloseCode.InvalidShard, $"invalid shard [{request.ShardId}, {request.ShardCount}]: the shard count must be 1..{VirtualShard.MaxCount} and the id below it",
                ClientDisconnectReason.InvalidShard, keepSession: false);
            return;
        }

        var shard = new VirtualShard(request.ShardId, request.ShardCount);
        int[] upstream = shard.UpstreamShards(shards.TotalShards);
        var lanes = new RelayCursor[upstream.Length];
        for (int k = 0; k < upstream.Length; k++)
        {
            IShardFeed? feed = shards.GetShard(upstream[k]);
            if (feed is null)
            {
                Close(GatewayCloseCode.InvalidShard, $"invalid shard [{request.ShardId}, {request.ShardCount}]: its guilds live on upstream shards {string.Join(',', upstream)} of {shards.TotalShards}, and this proxy serves only [{shards.ShardStart}, {shards.ShardEnd})",
                    ClientDisconnectReason.InvalidShard, keepSession: false);
                return;
            }

            lanes[k] = new RelayCursor(feed, _context.RouterFor(feed.ShardId), _context.VoiceRouterFor(feed.ShardId));
        }

        var session = new ClientSession(ClientSession.NewId(), _context.Sessions.NextNumber(), request.Token, lanes, shard, default, request.PayloadCompression)
        {
            Generation = set.Generation,
            Intents = request.IntentsGiven ? IntentFilter.For(request.Intents) : IntentFilter.All,
        };
        BeginStart(session, request);
        _startTask = StartVirtualAsync(session, request, _closing.Token);
    }

    /// <summary>As <see cref="StartAsync"/>, over several rings: one held snapshot per ring, READY listing the client's
    /// guilds from all of them, their GUILD_CREATEs, then every lane reads its ring from its own snapshot's position.</summary>
    private async Task StartVirtualAsync(ClientSession session, ClientIdentify request, CancellationToken ct)
    {
        RelayCursor[] lanes = session.Lanes;
        var snapshots = new IShardSnapshot[lanes.Length];
        var holds = new SnapshotHold?[lanes.Length];
        var readers = new RingReader?[lanes.Length];
        try
        {
            foreach (RelayCursor lane in lanes)
            {
                if (!lane.Feed.IsReady) await lane.Feed.WaitReadyAsync(ct).ConfigureAwait(false);
            }

            ct.ThrowIfCancellationRequested();
            for (int k = 0; k < lanes.Length; k++)
            {
                PayloadRing<EventMeta> ring = lanes[k].Ring;
                (snapshots[k], holds[k]) = await TakeHeldSnapshotAsync(lanes[k].Feed, ring, ct).ConfigureAwait(false);
                readers[k] = ring.AddReader(snapshots[k].Position);
            }

            VirtualShard shard = session.Virtual;
            var guilds = new List<ulong>();
            var owners = new List<int>();
            for (int k = 0; k < lanes.Length; k++)
            {
                foreach (ulong id in snapshots[k].GuildIds)
                {
                    if (!shard.Contains(id)) continue;
                    guilds.Add(id);
                    owners.Add(k);
                }
            }

            IShardSnapshot first = snapshots[0];
            ulong botUserId = _context.Options.BotUserIdOverride ?? ReadUserId(first.BotUserJson);
            var guildOptions = GuildCreateOptions.FromIdentify(request.Intents, request.LargeThreshold, botUserId);
            using var scratch = new PooledBufferWriter(16 * 1024);
            ReadyWriter.Write(scratch, first.BotUserJson, System.Runtime.InteropServices.CollectionsMarshal.AsSpan(guilds), session.Id,
                _context.ResumeUrl, shard.Index, shard.Count, first.ApplicationJson);
            if (!Output.TrySend(scratch.WrittenSpan)) return;
            _context.Sessions.Add(session);

            long seq = ReadyWriter.ReadySequence;
            for (int g = 0; g < guilds.Count; g++)
            {
                seq++;
                scratch.Reset();
                WriteGuild(scratch, snapshots[owners[g]], guilds[g], seq, guildOptions);
                if (!Output.TrySend(scratch.WrittenSpan)) return;
                if (Output.IsFlushPending) await Output.WhenFlushedAsync().WaitAsync(ct).ConfigureAwait(false);
            }

            for (int k = 0; k < lanes.Length; k++)
            {
                lanes[k].StartAt(readers[k]!, seq, snapshots[k].Position);
                readers[k] = null;
            }

            session.Seq = seq;
            ct.ThrowIfCancellationRequested();
            for (int k = 0; k < lanes.Length; k++)
            {
                lanes[k].Begin(holds[k], RelayCursor.NoResume);
                holds[k] = null;
            }

            Attach(session);
        }
        catch (OperationCanceledException)
        {
            // The connection is closing.
        }
        catch (Exception e)
        {
            EgressLog.StartFailed(_context.Logger, e, session.Feed.ShardId);
            Close(GatewayCloseCode.UnknownError, "unknown error: the proxy could not start the session", ClientDisconnectReason.SessionStartFailed, keepSession: false);
        }
        finally
        {
            foreach (SnapshotHold? hold in holds) hold?.Release();
            foreach (RingReader? reader in readers) reader?.Dispose();
        }
    }
}
