using GatewayProxy.Shards;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using GatewayProxy.Egress.Clients;
using GatewayProxy.Egress.Relay;
using GatewayProxy.Egress.Routing;
using GatewayProxy.Protocol.Gateway;
using GatewayProxy.Cache;
using GatewayProxy.Ring;

namespace GatewayProxy.Egress.Sessions;

/// <summary>A client's gateway session: outlives its socket for the session TTL so the client can RESUME.</summary>
/// <remarks>
/// Owned by one party at a time: the connection that created or resumed it, then the relay worker it is attached to,
/// then nobody while detached. Hand-offs go through the worker's command queue (a full barrier), so the fields below
/// need no lock; <see cref="SyncRoot"/> only guards attach/detach against a concurrent RESUME.
/// </remarks>
internal sealed class ClientSession
{
    public ClientSession(string id, long number, string token, IShardFeed feed, SoundboardRouter router, VoiceRouter voice, GuildCreateOptions guildOptions,
        bool payloadCompression)
        : this(id, number, token, [new RelayCursor(feed, router, voice)], virtualShard: null, guildOptions, payloadCompression)
    {
    }

    /// <summary>A session reading <paramref name="lanes"/> (one per upstream shard); <paramref name="virtualShard"/> set when the
    /// client's shard count differs from the upstream one.</summary>
    public ClientSession(string id, long number, string token, RelayCursor[] lanes, VirtualShard? virtualShard, GuildCreateOptions guildOptions,
        bool payloadCompression)
    {
        Lanes = lanes;
        Cursor = lanes[0];
        Virtual = virtualShard ?? default;
        IsVirtual = virtualShard is not null;
        Id = id;
        Number = number;
        Token = token;
        Feed = lanes[0].Feed;
        GuildOptions = guildOptions;
        PayloadCompression = payloadCompression;
        NonceText = "gp" + number.ToString("x", CultureInfo.InvariantCulture) + ".";
        NoncePrefix = Encoding.ASCII.GetBytes(NonceText);
    }

    /// <summary>The shard set generation the session was started on (docs/architecture.md, "Resharding").</summary>
    public int Generation { get; init; }

    /// <summary>The session id clients resume with (32 hex chars).</summary>
    public string Id { get; }

    /// <summary>A process-unique number (nonce routing).</summary>
    public long Number { get; }

    /// <summary>The token the client identified with (compared on RESUME when tokens are not validated).</summary>
    public string Token { get; }

    /// <summary>The shard the session reads (the first of them for a virtual shard).</summary>
    public IShardFeed Feed { get; }

    /// <summary>True when the client's shard count differs from the upstream one: it reads every <see cref="Lanes"/> entry,
    /// filtered by <see cref="Virtual"/>.</summary>
    public bool IsVirtual { get; }

    /// <summary>The client's [index, count] when <see cref="IsVirtual"/>.</summary>
    public VirtualShard Virtual { get; }

    /// <summary>One cursor per upstream ring the session reads: just <see cref="Cursor"/> unless <see cref="IsVirtual"/>.</summary>
    public RelayCursor[] Lanes { get; }

    /// <summary>The last client seq sent (shared by every lane: the client has one sequence).</summary>
    public long Seq { get; set; }

    /// <summary>True while a RESUME replay has not sent RESUMED (any lane still replaying).</summary>
    public bool IsReplaying
    {
        get
        {
            foreach (RelayCursor lane in Lanes)
            {
                if (lane.IsReplaying) return true;
            }

            return false;
        }
    }

    /// <summary>True when some lane's ring no longer holds the next event the client needs.</summary>
    public bool CannotContinue
    {
        get
        {
            foreach (RelayCursor lane in Lanes)
            {
                if (lane.CannotContinue) return true;
            }

            return false;
        }
    }

    /// <summary>Releases every lane's producer hold.</summary>
    public void ReleaseHolds()
    {
        foreach (RelayCursor lane in Lanes) lane.ReleaseHold();
    }

    /// <summary>Disposes every lane's reader (the session ended).</summary>
    public void DisposeReaders()
    {
        foreach (RelayCursor lane in Lanes) lane.DisposeReader();
    }

    /// <summary>What the client's GUILD_CREATEs depend on.</summary>
    public GuildCreateOptions GuildOptions { get; }

    /// <summary>The dispatches the client's IDENTIFY intents ask for (all when it sent none).</summary>
    public IntentFilter Intents { get; init; } = IntentFilter.All;

    /// <summary>IDENTIFY <c>compress: true</c>.</summary>
    public bool PayloadCompression { get; }

    /// <summary>"gp{number}." as text: proxy nonces are this plus a request number.</summary>
    public string NonceText { get; }

    /// <summary>"gp{number}." in UTF-8, compared against reply nonces on the relay path.</summary>
    public byte[] NoncePrefix { get; }

    /// <summary>Guards attach/detach.</summary>
    public Lock SyncRoot { get; } = new();

    /// <summary>Where the session stands in its (first) ring: reader, seq map, hold, RESUME target.</summary>
    public RelayCursor Cursor { get; }

    /// <summary>Outstanding op 8 requests.</summary>
    public NonceTable Nonces { get; } = new();

    /// <summary>The connection the session is attached to, or null while detached.</summary>
    public ClientConnection? Connection { get; set; }

    /// <summary><see cref="Environment.TickCount64"/> when it was detached (TTL starts).</summary>
    public long DetachedAt { get; set; }

    /// <summary>True once ended (client closed 1000/1001, expired, or could not continue).</summary>
    public bool Ended { get; set; }

    /// <summary>Makes a random session id: 32 lower-case hex chars.</summary>
    public static string NewId() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
}
