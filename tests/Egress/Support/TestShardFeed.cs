using GatewayProxy.Shards;
using System.Buffers;
using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using GatewayProxy.Egress;
using GatewayProxy.Protocol.Events;
using GatewayProxy.Protocol.Gateway;
using GatewayProxy.Cache;
using GatewayProxy.Ring;
using GatewayProxy.Ring.Memory;

namespace GatewayProxy.Tests.Egress.Support;

/// <summary>A shard for Egress tests: a real ring the test publishes Discord-shaped dispatches into (metadata found the
/// way ingress finds it), a fixed guild list as its "cache", and a command log.</summary>
internal sealed class TestShardFeed : IShardFeed
{
    private readonly Lock _publishLock = new();
    private TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _upstreamSeq;

    public TestShardFeed(int shardId, int ringSize = 4096, IReadOnlyList<TestGuild>? guilds = null, RingMemory? ringMemory = null)
    {
        ShardId = shardId;
        Ring = new PayloadRing<EventMeta>(ringSize, ringMemory);
        Guilds = guilds ?? [new TestGuild(1000UL + (ulong)shardId * 100, false), new TestGuild(1001UL + (ulong)shardId * 100, false)];
        SetReady(true);
    }

    public int ShardId { get; }

    public PayloadRing<EventMeta> Ring { get; }

    public IReadOnlyList<TestGuild> Guilds { get; set; }

    public bool IsReady => _ready.Task.IsCompletedSuccessfully;

    public string Status => IsReady ? "ready" : "identifying";

    public double? LatencyMs => IsReady ? 42.5 : null;

    private long _blocked;

    /// <summary>How many publishes had to wait for a gating reader (a snapshot hold).</summary>
    public long BlockedPublishes => Interlocked.Read(ref _blocked);

    /// <summary>Positions of every snapshot taken, in order.</summary>
    public ConcurrentQueue<long> SnapshotPositions { get; } = new();

    /// <summary>Every command sent upstream (as text).</summary>
    public ConcurrentQueue<string> Commands { get; } = new();

    /// <summary>When set, TrySendCommand refuses with this reason.</summary>
    public string? RefuseCommands { get; set; }

    public string BotUserJson { get; set; } = "{\"id\":\"4242\",\"username\":\"bot\",\"discriminator\":\"0\",\"bot\":true}";

    public void SetReady(bool ready)
    {
        if (ready) _ready.TrySetResult();
        else if (_ready.Task.IsCompleted) _ready = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    public Task WaitReadyAsync(CancellationToken ct) => _ready.Task.WaitAsync(ct);

    public IShardSnapshot TakeSnapshot()
    {
        // The "cache" never changes with events here, so any cursor is a consistent position: take it under the publish lock.
        lock (_publishLock)
        {
            long position = Ring.Cursor;
            SnapshotPositions.Enqueue(position);
            return new TestSnapshot(position, Guilds, Encoding.UTF8.GetBytes(BotUserJson));
        }
    }

    public bool TrySendCommand(ReadOnlySpan<byte> payload, out string? reason)
    {
        reason = RefuseCommands;
        if (reason is not null) return false;
        Commands.Enqueue(Encoding.UTF8.GetString(payload));
        return true;
    }

    /// <summary>The payload ingress would store for a dispatch with the next upstream s.</summary>
    public static string DispatchJson(string type, long upstreamSeq, string dJson) =>
        $"{{\"t\":\"{type}\",\"s\":{upstreamSeq.ToString(CultureInfo.InvariantCulture)},\"op\":0,\"d\":{dJson}}}";

    /// <summary>Publishes one dispatch; returns its ring sequence. One publishing thread at a time (single producer).</summary>
    public long Publish(string type, string dJson)
    {
        long upstream = Interlocked.Increment(ref _upstreamSeq);
        return PublishRaw(Encoding.UTF8.GetBytes(DispatchJson(type, upstream, dJson)));
    }

    /// <summary>Publishes raw payload bytes (the test builds the JSON). One publishing thread at a time.</summary>
    public long PublishRaw(byte[] payload)
    {
        if (!EnvelopeScanner.TryScan(payload, out Envelope envelope, out EnvelopeError error)) throw new InvalidOperationException("bad test payload: " + error);
        EventMeta meta = EventMeta.From(envelope);
        ReadOnlySpan<byte> d = envelope.Data(payload);
        if (EnvelopeScanner.TryFindProperty(d, "guild_id"u8, out int gs, out int gl, out _) && EnvelopeScanner.TryParseSnowflake(d.Slice(gs, gl), out ulong guild))
        {
            meta.GuildId = guild;
        }

        if (envelope.Kind == EventKind.GuildMembersChunk && EnvelopeScanner.TryFindProperty(d, "nonce"u8, out int ns, out int nl, out bool isString) && isString)
        {
            meta.NonceStart = envelope.DataStart + ns;
            meta.NonceLength = nl;
        }
        else if (envelope.Kind == EventKind.RateLimited && EnvelopeScanner.TryFindProperty(d, "meta"u8, out int ms, out int ml, out _)
            && EnvelopeScanner.TryFindProperty(d.Slice(ms, ml), "nonce"u8, out int ns2, out int nl2, out bool isString2) && isString2)
        {
            meta.NonceStart = envelope.DataStart + ms + ns2;
            meta.NonceLength = nl2;
        }

        // Honours gating readers (snapshot holds) like ingress does; waits outside the lock so a snapshot can still be
        // taken while the producer is held.
        if (!Ring.TryNext(out long seq))
        {
            Interlocked.Increment(ref _blocked);
            seq = Ring.Next();
        }

        lock (_publishLock)
        {
            Ring.Writer.Reset();
            Ring.Writer.Write(payload);
            Ring.Publish(seq, in meta);
            return seq;
        }
    }

    /// <summary>The "d" of the k-th test event: unique, so loss and duplication show.</summary>
    public static string EventData(long k, int padding = 0) =>
        $"{{\"guild_id\":\"1000\",\"n\":{k.ToString(CultureInfo.InvariantCulture)},\"content\":\"{new string('x', padding)}\"}}";
}

/// <summary>A guild of the test cache.</summary>
internal sealed record TestGuild(ulong Id, bool Unavailable);

/// <summary>An immutable test snapshot.</summary>
internal sealed class TestSnapshot(long position, IReadOnlyList<TestGuild> guilds, byte[] userJson) : IShardSnapshot
{
    public long Position { get; } = position;

    public int GuildCount => guilds.Count;

    public IEnumerable<ulong> GuildIds
    {
        get
        {
            foreach (TestGuild guild in guilds) yield return guild.Id;
        }
    }

    public ReadOnlySpan<byte> BotUserJson => userJson;

    public ReadOnlySpan<byte> ApplicationJson => "{\"id\":\"4242\",\"flags\":0}"u8;

    public bool IsUnavailable(ulong guildId)
    {
        foreach (TestGuild guild in guilds)
        {
            if (guild.Id == guildId) return guild.Unavailable;
        }

        return false;
    }

    public bool TryWriteGuildCreate(ulong guildId, IBufferWriter<byte> output, in GuildCreateOptions options)
    {
        string json = $"{{\"id\":\"{guildId}\",\"name\":\"guild {guildId}\",\"large_threshold\":{options.LargeThreshold},\"presences_intent\":{(options.GuildPresencesIntent ? "true" : "false")},\"bot_user_id\":\"{options.BotUserId}\",\"roles\":[{{\"id\":\"{guildId}\",\"colors\":{{\"primary_color\":0,\"secondary_color\":null,\"tertiary_color\":null}}}}]}}";
        output.Write(Encoding.UTF8.GetBytes(json));
        return true;
    }
}

/// <summary>Shards [start, end) of a total.</summary>
internal sealed class TestShardDirectory(int total, int start, IReadOnlyList<TestShardFeed> feeds) : IShardDirectory
{
    public int TotalShards { get; } = total;

    public int ShardStart { get; } = start;

    public int ShardEnd => ShardStart + feeds.Count;

    public IShardFeed? GetShard(int shardId)
    {
        int index = shardId - ShardStart;
        return (uint)index < (uint)feeds.Count ? feeds[index] : null;
    }
}
