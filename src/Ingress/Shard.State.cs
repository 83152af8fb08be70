using GatewayProxy.Cache;
using GatewayProxy.Ingress.State;

namespace GatewayProxy.Ingress;

/// <summary>What a shard saves into the state file on shutdown, and how it starts from a saved one.</summary>
public sealed partial class Shard
{
    /// <summary>
    /// The shard's session and cache for the state file, after <see cref="StopAsync"/>; null when there is nothing to
    /// resume (no session, READY never applied, or stopped by a fatal close).
    /// </summary>
    internal SavedShard? CaptureState()
    {
        if (!_resumableAtStop || SessionId is not { } sessionId)
        {
            return null;
        }

        CacheSnapshot snapshot = Cache.Snapshot();
        if (snapshot.BotUserJson.IsEmpty)
        {
            return null;
        }

        // Stopped: no more events arrive and the cache has applied every published one, so this sequence is exactly the cache's.
        return new SavedShard(Id, TotalShards, sessionId, _receiver.LastSequence, ResumeUrl, snapshot.ToSaved());
    }

    /// <summary>The resume state for a saved shard (its resume URL only when it is a usable ws/wss URL).</summary>
    internal static ShardResumeState ResumeStateOf(SavedShard saved) =>
        new(saved.SessionId, saved.Sequence, Uri.TryCreate(saved.ResumeUrl, UriKind.Absolute, out Uri? url) && url.Scheme is "ws" or "wss" ? url : null);
}
