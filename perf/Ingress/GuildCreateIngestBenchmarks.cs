using System.Globalization;
using BenchmarkDotNet.Attributes;
using GatewayProxy.Cache;
using GatewayProxy.Protocol.Gateway;

namespace GatewayProxy.Perf.Ingress;

/// <summary>
/// GUILD_CREATE ingestion into a cache with every flag on, as at a big bot's start: each operation builds the guild from
/// its JSON (replacing the one the previous operation built). MB/s = the JSON's size ÷ the mean (printed in setup).
/// </summary>
/// <remarks>The baseline is one <see cref="System.Text.Json.Utf8JsonReader"/> pass over the same bytes: the floor for "tokenized once".</remarks>
[MemoryDiagnoser]
public class GuildCreateIngestBenchmarks
{
    private const ulong GuildId = 83_000_000_000_000_000;

    private ShardCache _cache = null!;
    private byte[] _payload = null!;
    private Envelope _envelope;
    private long _position;
    private CacheSnapshot _snapshot = null!;
    private readonly System.Buffers.ArrayBufferWriter<byte> _output = new(1 << 20);

    /// <summary>Members in the guild: 10 (the e2e Simulator's small guilds are about this shape) or 1,000.</summary>
    [Params(10, 1000)]
    public int Members { get; set; }

    /// <summary>Cold-guild compression on (guilds stored LZ4-compressed from GUILD_CREATE on) or off.</summary>
    [Params(false, true)]
    public bool Compress { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        CacheOptions options = CacheOptions.All();
        options.CompressColdAfter = Compress ? TimeSpan.FromMinutes(1) : TimeSpan.Zero;
        _cache = new ShardCache(0, options);
        _cache.ApplyReady(System.Text.Encoding.UTF8.GetBytes(CacheBenchmarkData.Ready(GuildId)), 1);
        _payload = CacheBenchmarkData.Envelope("GUILD_CREATE", 2, CacheBenchmarkData.Guild(GuildId, Members));
        EnvelopeScanner.TryScan(_payload, out _envelope, out _);
        _position = 2;
        _cache.Apply(_payload, _envelope, _position);
        _snapshot = _cache.Snapshot();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"// GUILD_CREATE d: {_envelope.DataLength} B ({Members} members)"));
    }

    /// <summary>One reader pass over the GUILD_CREATE's <c>d</c>: what tokenizing it once costs.</summary>
    [Benchmark(Baseline = true)]
    public int TokenizeOnce()
    {
        var reader = new System.Text.Json.Utf8JsonReader(_envelope.Data(_payload), isFinalBlock: true, state: default);
        int tokens = 0;
        while (reader.Read())
        {
            tokens++;
        }

        return tokens;
    }

    /// <summary>The cache applies the GUILD_CREATE (builds the guild and puts it in).</summary>
    [Benchmark]
    public CacheApplyResult ApplyGuildCreate() => _cache.Apply(_payload, _envelope, ++_position);

    /// <summary>A client's GUILD_CREATE of that guild (every intent, large_threshold 250), as a READY burst writes it per guild.</summary>
    [Benchmark]
    public int WriteGuildCreate()
    {
        _output.ResetWrittenCount();
        _snapshot.TryWriteGuildCreate(GuildId, _output, new GuildCreateOptions(250, GuildPresencesIntent: true, GuildMembersIntent: true, CacheBenchmarkData.BotId));
        return _output.WrittenCount;
    }
}
