using System.Buffers;
using System.Text;
using BenchmarkDotNet.Attributes;
using GatewayProxy.Ingress.Cache;
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
