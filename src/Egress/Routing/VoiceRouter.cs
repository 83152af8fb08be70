using GatewayProxy.Egress.Sessions;

namespace GatewayProxy.Egress.Routing;

/// <summary>Decides, per shard, which session a VOICE_SERVER_UPDATE belongs to: the one that most recently sent op 4 for
/// that guild before the event was published, while that session lives; else every client of the shard.</summary>
/// <remarks>
/// Discord answers op 4 to the session that sent it; through the proxy several clients share that session, and a
/// VOICE_SERVER_UPDATE that reached all of them would make each connect to voice. As with <see cref="SoundboardRouter"/>,
/// every client meets the event at its own pace, so the first to get there decides and the decision is remembered per ring
/// sequence: a client replaying it after a RESUME gets the same answer. "Gone" means the session ended (closed with
/// 1000/1001, expired or invalidated), not merely disconnected: a requester that resumes gets its answer in the replay.
/// Cold path (op 4 and VOICE_SERVER_UPDATE are rare): one lock. See docs/configuration.md, "Replies".
/// </remarks>
internal sealed class VoiceRouter(SessionRegistry sessions)
{
    private const int MaxRequests = 1024;

    private readonly Lock _lock = new();
    private readonly List<Pending> _requests = [];
    private readonly RoutedSequences _assigned = new();

    /// <summary>Records that <paramref name="session"/> sent op 4 for <paramref name="guildId"/> when the ring's cursor was
    /// <paramref name="ringCursor"/> (only later events can answer it).</summary>
    public void Request(ulong guildId, ClientSession session, long ringCursor)
    {
        lock (_lock)
        {
            if (_requests.Count >= MaxRequests) _requests.RemoveAt(0);
            _requests.Add(new Pending(guildId, session.Number, session.Id, ringCursor));
        }
    }

    /// <summary>The session number the event at <paramref name="ringSeq"/> (for <paramref name="guildId"/>) goes to; 0 for every
    /// client of the shard.</summary>
    public long Resolve(long ringSeq, ulong guildId)
    {
        lock (_lock)
        {
            if (_assigned.TryGet(ringSeq, out long owner)) return owner;
            owner = 0;
            // Newest first: the latest op 4 for the guild made before the event was published.
            for (int i = _requests.Count - 1; i >= 0; i--)
            {
                Pending request = _requests[i];
                if (request.GuildId != guildId || request.RequestedAfter >= ringSeq) continue;
                if (sessions.TryGet(request.SessionId, out ClientSession? live) && live!.Number == request.Session) owner = request.Session;
                break;
            }

            return _assigned.Remember(ringSeq, owner);
        }
    }

    private readonly record struct Pending(ulong GuildId, long Session, string SessionId, long RequestedAfter);
}
