using System.Buffers;
using System.Text;
using BenchmarkDotNet.Attributes;
using GatewayProxy.Cache;
using GatewayProxy.Protocol.Gateway;

namespace GatewayProxy.Perf.Ingress;

/// <summary>The shard cache: applying events (relevant or not), taking snapshots, crafting GUILD_CREATE.</summary>
[MemoryDiagnoser]
public class CacheBenchmarks
{
    private const ulong BigGuild = 81_000_000_000_000_000;
    private const ulong SmallGuild = 82_000_000_000_000_000;

    private readonly ArrayBufferWriter<byte> _output = new(1 << 20);
    private ShardCache _cache = null!;
    private byte[] _message = null!;
    private Envelope _messageEnvelope;
    private byte[][] _memberUpdates = null!;
    private Envelope[] _memberUpdateEnvelopes = null!;
    private byte[][] _presenceUpdates = null!;
    private Envelope[] _presenceUpdateEnvelopes = null!;
    private byte[][] _channelUpdates = null!;
    private Envelope[] _channelUpdateEnvelopes = null!;
    private long _position;
    private int _next;
    private GuildCreateOptions _clientOptions;

    [GlobalSetup]
    public void Setup()
    {
        _cache = new ShardCache(0, CacheOptions.All());
        _cache.ApplyReady(Encoding.UTF8.GetBytes(CacheBenchmarkData.Ready(BigGuild, SmallGuild)), 1);
        Apply(CacheBenchmarkData.Envelope("GUILD_CREATE", 2, CacheBenchmarkData.Guild(BigGuild, 10_000)), 2);
        Apply(CacheBenchmarkData.Envelope("GUILD_CREATE", 3, CacheBenchmarkData.Guild(SmallGuild, 1_000)), 3);
        _position = 3;

        _message = CacheBenchmarkData.Envelope("MESSAGE_CREATE", 4, "{\"id\":\"1\",\"channel_id\":\"2\",\"guild_id\":\"" + BigGuild + "\",\"content\":\"hello world\",\"author\":{\"id\":\"3\",\"username\":\"x\"}}");
        EnvelopeScanner.TryScan(_message, out _messageEnvelope, out _);

        _memberUpdates = new byte[64][];
        _memberUpdateEnvelopes = new Envelope[64];
        for (int i = 0; i < _memberUpdates.Length; i++)
        {
            ulong user = BigGuild + 1000 + (ulong)(i * 151 % 10_000);
            _memberUpdates[i] = CacheBenchmarkData.Envelope("GUILD_MEMBER_UPDATE", 5, CacheBenchmarkData.Member(BigGuild, user, withGuildId: true, variant: i));
            EnvelopeScanner.TryScan(_memberUpdates[i], out _memberUpdateEnvelopes[i], out _);
        }

        _presenceUpdates = new byte[64][];
        _presenceUpdateEnvelopes = new Envelope[64];
        _channelUpdates = new byte[64][];
        _channelUpdateEnvelopes = new Envelope[64];
        for (int i = 0; i < _presenceUpdates.Length; i++)
        {
            ulong user = BigGuild + 1000 + (ulong)(i * 151 % 10_000);
            string status = (i & 1) == 0 ? "online" : "idle";
            _presenceUpdates[i] = CacheBenchmarkData.Envelope("PRESENCE_UPDATE", 6, "{\"user\":{\"id\":\"" + user + "\"},\"guild_id\":\"" + BigGuild + "\",\"status\":\"" + status + "\",\"activities\":[{\"name\":\"game " + i + "\",\"type\":0}],\"client_status\":{\"desktop\":\"" + status + "\"}}");
            EnvelopeScanner.TryScan(_presenceUpdates[i], out _presenceUpdateEnvelopes[i], out _);
            _channelUpdates[i] = CacheBenchmarkData.Envelope("CHANNEL_UPDATE", 7, "{\"id\":\"" + (BigGuild + 100 + (ulong)(i % 40)) + "\",\"guild_id\":\"" + BigGuild + "\",\"type\":0,\"name\":\"channel-" + i + "\",\"position\":" + i + ",\"topic\":null}");
            EnvelopeScanner.TryScan(_channelUpdates[i], out _channelUpdateEnvelopes[i], out _);
        }

        _clientOptions = new GuildCreateOptions(250, GuildPresencesIntent: true, GuildMembersIntent: true, CacheBenchmarkData.BotId);
        CacheFootprint.Print();
    }

    private void Apply(byte[] payload, long position)
    {
        EnvelopeScanner.TryScan(payload, out Envelope env, out _);
        _cache.Apply(payload, env, position);
    }

    /// <summary>A MESSAGE_CREATE: the cache only moves its position.</summary>
    [Benchmark(Baseline = true)]
    public CacheApplyResult ApplyIrrelevantEvent() => _cache.Apply(_message, _messageEnvelope, ++_position);

    /// <summary>GUILD_MEMBER_UPDATE merged into a 10k-member guild.</summary>
    [Benchmark]
    public CacheApplyResult ApplyMemberUpdate10k()
    {
        int i = _next++ & 63;
        return _cache.Apply(_memberUpdates[i], _memberUpdateEnvelopes[i], ++_position);
    }

    /// <summary>PRESENCE_UPDATE of a member of the 10k-member guild.</summary>
    [Benchmark]
    public CacheApplyResult ApplyPresenceUpdate10k()
    {
        int i = _next++ & 63;
        return _cache.Apply(_presenceUpdates[i], _presenceUpdateEnvelopes[i], ++_position);
    }

    /// <summary>CHANNEL_UPDATE of one of the 40 channels of the 10k-member guild.</summary>
    [Benchmark]
    public CacheApplyResult ApplyChannelUpdate()
    {
        int i = _next++ & 63;
        return _cache.Apply(_channelUpdates[i], _channelUpdateEnvelopes[i], ++_position);
    }

    /// <summary>A snapshot, then a member update: the worst case, the writer copies what the snapshot holds (guild map, guild, 10k members).</summary>
    [Benchmark]
    public CacheApplyResult SnapshotThenMemberUpdate10k()
    {
        GC.KeepAlive(_cache.Snapshot());
        int i = _next++ & 63;
        return _cache.Apply(_memberUpdates[i], _memberUpdateEnvelopes[i], ++_position);
    }

    /// <summary>Taking a snapshot (what every identifying client does first).</summary>
    [Benchmark]
    public CacheSnapshot TakeSnapshot() => _cache.Snapshot();

    /// <summary>Crafting a 1k-member GUILD_CREATE for one client.</summary>
    [Benchmark]
    public int WriteGuildCreate1k()
    {
        _output.ResetWrittenCount();
        _cache.Snapshot().TryWriteGuildCreate(SmallGuild, _output, _clientOptions);
        return _output.WrittenCount;
    }
}
