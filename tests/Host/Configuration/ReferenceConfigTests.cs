using GatewayProxy.Host.Configuration;
using GatewayProxy.Host.Logging;
using Xunit;

namespace GatewayProxy.Tests.Host.Configuration;

public class ReferenceConfigTests
{
    [Fact]
    public void Reference_sample_loads_unchanged_with_every_value_as_written()
    {
        var config = ConfigLoader.LoadFromJson(ConfigTestData.ReferenceConfig, "config.json", ConfigTestData.Env(ConfigTestData.Token));

        Assert.Equal(ProxyLogLevel.Info, config.LogLevel);
        Assert.Equal(ConfigTestData.Token, config.Token);
        Assert.Equal(32511u, config.Intents);
        Assert.Equal(7878, config.Port);
        Assert.NotNull(config.Activity);
        Assert.Equal(0, config.Activity.Type);
        Assert.Equal("with kubernetes", config.Activity.Name);
        Assert.Null(config.Activity.Url);
        Assert.Equal(PresenceStatus.Idle, config.Status);
        Assert.Equal(100, config.Backpressure);
        Assert.False(config.Cache.Channels);
        Assert.False(config.Cache.Presences);
        Assert.False(config.Cache.Emojis);
        Assert.False(config.Cache.Members);
        Assert.False(config.Cache.Roles);
        Assert.False(config.Cache.StageInstances);
        Assert.False(config.Cache.Stickers);
        Assert.False(config.Cache.Users);
        Assert.False(config.Cache.VoiceStates);
    }

    [Fact]
    public void Reference_sample_gets_the_documented_defaults_for_everything_it_leaves_out()
    {
        var config = ConfigLoader.LoadFromJson(ConfigTestData.ReferenceConfig, "config.json", ConfigTestData.Env(ConfigTestData.Token));

        Assert.True(config.Cache.CurrentMember);
        Assert.True(config.Cache.ScheduledEvents);
        Assert.True(config.Cache.SoundboardSounds);
        Assert.Null(config.Shards);
        Assert.Null(config.ShardStart);
        Assert.Null(config.ShardEnd);
        Assert.Null(config.TwilightHttpProxy);
        Assert.True(config.ValidateToken);
        Assert.Null(config.ExternallyAccessibleUrl);
        Assert.Equal("0.0.0.0", config.Bind);
        Assert.Equal(4096, config.RingSize);
        Assert.Null(config.RingSizes);
        Assert.Equal(4096, config.RingMemoryLimitMb);
        Assert.Null(config.MemoryLimitMb);
        Assert.Equal(120, config.SessionTtlSeconds);
        Assert.Equal("https://discord.com/api/v10", config.Upstream.ApiBaseUrl);
        Assert.Null(config.Upstream.GatewayUrl);
        Assert.Equal(UpstreamCompression.ZlibStream, config.Upstream.Compression);
        Assert.Null(config.Upstream.IdentifyQueueUrl);
        Assert.Equal(1000, config.Upstream.IdentifyMarginMs);
        Assert.Null(config.StateFile);
        Assert.Equal(120, config.StateMaxAgeSeconds);
    }

    [Fact]
    public void Reference_optional_fields_load_unchanged()
    {
        var json = ConfigTestData.ReferenceConfig.TrimEnd().TrimEnd('}') + """
            ,
              "shards": 8,
              "shard_start": 2,
              "shard_end": 6,
              "twilight_http_proxy": "127.0.0.1:3000",
              "validate_token": false,
              "externally_accessible_url": "ws://proxy.internal:7878"
            }
            """;

        var config = ConfigLoader.LoadFromJson(json, "config.json", ConfigTestData.Env(ConfigTestData.Token));

        Assert.Equal(8, config.Shards);
        Assert.Equal(2, config.ShardStart);
        Assert.Equal(6, config.ShardEnd);
        Assert.Equal("127.0.0.1:3000", config.TwilightHttpProxy);
        Assert.False(config.ValidateToken);
        Assert.Equal("ws://proxy.internal:7878", config.ExternallyAccessibleUrl);
        Assert.True(config.TryGetShardRange(8, out var start, out var end, out var error));
        Assert.Equal((2, 6, null), (start, end, error));
    }

    [Fact]
    public void Every_field_set_to_a_non_default_value_lands_in_the_model()
    {
        var json = """
            {
              "log_level": "warning", "token": "abc.def.ghi", "intents": 67108863,
              "shards": 16, "shard_start": 4, "shard_end": 8,
              "bind": "::", "port": 9000,
              "activity": {"type": 1, "name": "shard {{shard}} of 16", "url": "https://twitch.tv/x"},
              "status": "dnd", "backpressure": 7, "twilight_http_proxy": "[::1]:8080",
              "validate_token": false, "externally_accessible_url": "wss://gw.example.com",
              "cache": {"channels": false, "presences": false, "emojis": false, "current_member": false,
                        "members": false, "roles": false, "scheduled_events": false, "soundboard_sounds": false,
                        "stage_instances": false, "stickers": false, "users": false, "voice_states": false},
              "ring_size": 16, "ring_sizes": {"5": 1048576, "7": 32}, "ring_memory_limit_mb": 512, "memory_limit_mb": 2048,
              "session_ttl_seconds": 30,
              "upstream": {"api_base_url": "http://127.0.0.1:5000/api/v10", "gateway_url": "ws://127.0.0.1:5001",
                           "compression": "zstd-stream", "identify_queue_url": "http://queue:8000", "identify_margin_ms": 400},
              "state_file": "/var/lib/gp/state.bin", "state_max_age_seconds": 60,
            }
            """;

        var c = ConfigLoader.LoadFromJson(json, "config.json", ConfigTestData.NoEnv);

        Assert.Equal(ProxyLogLevel.Warn, c.LogLevel);
        Assert.Equal("abc.def.ghi", c.Token);
        Assert.Equal((1u << 26) - 1, c.Intents);
        Assert.Equal((16, 4, 8), (c.Shards, c.ShardStart, c.ShardEnd));
        Assert.Equal(("::", 9000), (c.Bind, c.Port));
        Assert.Equal(new ActivityConfig { Type = 1, Name = "shard {{shard}} of 16", Url = "https://twitch.tv/x" }, c.Activity);
        Assert.Equal("shard 5 of 16", c.Activity!.FormatName(5));
        Assert.Equal(PresenceStatus.Dnd, c.Status);
        Assert.Equal(7, c.Backpressure);
        Assert.Equal("[::1]:8080", c.TwilightHttpProxy);
        Assert.False(c.ValidateToken);
        Assert.Equal("wss://gw.example.com", c.ExternallyAccessibleUrl);
        Assert.Equal(new CacheConfig
        {
            Channels = false, Presences = false, Emojis = false, CurrentMember = false, Members = false, Roles = false,
            ScheduledEvents = false, SoundboardSounds = false, StageInstances = false, Stickers = false, Users = false,
            VoiceStates = false,
        }, c.Cache);
        Assert.Equal(16, c.RingSize);
        Assert.Equal(1048576, c.RingSizeFor(5));
        Assert.Equal(32, c.RingSizeFor(7));
        Assert.Equal(16, c.RingSizeFor(6));
        Assert.Equal(512, c.RingMemoryLimitMb);
        Assert.Equal(2048, c.MemoryLimitMb);
        Assert.Equal(30, c.SessionTtlSeconds);
        Assert.Equal(new UpstreamConfig
        {
            ApiBaseUrl = "http://127.0.0.1:5000/api/v10", GatewayUrl = "ws://127.0.0.1:5001",
            Compression = UpstreamCompression.ZstdStream, IdentifyQueueUrl = "http://queue:8000", IdentifyMarginMs = 400,
        }, c.Upstream);
        Assert.Equal("/var/lib/gp/state.bin", c.StateFile);
        Assert.Equal(60, c.StateMaxAgeSeconds);
    }

    [Fact]
    public void Partial_nested_objects_keep_the_defaults_of_the_keys_they_omit()
    {
        var config = ConfigTestData.LoadWith("""
            "upstream": {"compression": "none"}, "activity": {"name": "x"}, "cache": {"presences": false}
            """);

        Assert.Equal(new UpstreamConfig(Compression: UpstreamCompression.None), config.Upstream);
        Assert.Equal("https://discord.com/api/v10", config.Upstream.ApiBaseUrl);
        Assert.Equal(new ActivityConfig(Type: 0, Name: "x"), config.Activity);
        Assert.Equal(new CacheConfig(Presences: false), config.Cache);
        Assert.True(config.Cache.Members);
        Assert.True(config.Cache.CurrentMember);
    }

    [Theory]
    [InlineData("trace", ProxyLogLevel.Trace)]
    [InlineData("debug", ProxyLogLevel.Debug)]
    [InlineData("INFO", ProxyLogLevel.Info)]
    [InlineData("warn", ProxyLogLevel.Warn)]
    [InlineData("Warning", ProxyLogLevel.Warn)]
    [InlineData("error", ProxyLogLevel.Error)]
    public void Log_level_accepts_every_documented_spelling(string name, ProxyLogLevel expected) =>
        Assert.Equal(expected, ConfigTestData.LoadWith($"\"log_level\": \"{name}\"").LogLevel);

    [Theory]
    [InlineData("online", PresenceStatus.Online)]
    [InlineData("idle", PresenceStatus.Idle)]
    [InlineData("dnd", PresenceStatus.Dnd)]
    [InlineData("invisible", PresenceStatus.Invisible)]
    [InlineData("offline", PresenceStatus.Offline)]
    public void Status_accepts_every_discord_status(string name, PresenceStatus expected) =>
        Assert.Equal(expected, ConfigTestData.LoadWith($"\"status\": \"{name}\"").Status);

    [Fact]
    public void Activity_name_replaces_every_shard_placeholder()
    {
        var activity = new ActivityConfig { Name = "{{shard}}: shard {{shard}}" };
        Assert.Equal("12: shard 12", activity.FormatName(12));
        Assert.Equal("plain", new ActivityConfig { Name = "plain" }.FormatName(3));
    }

    [Fact]
    public void Comments_and_trailing_commas_are_accepted()
    {
        var config = ConfigTestData.LoadWith("""
            // the client port
            "port": 1234, /* trailing comma next */
            """);
        Assert.Equal(1234, config.Port);
    }

    [Theory]
    [InlineData(null, null, 10, 0, 10)]
    [InlineData(3, null, 10, 3, 10)]
    [InlineData(null, 4, 10, 0, 4)]
    public void Shard_range_defaults_to_the_whole_bot(int? start, int? end, int total, int expectedStart, int expectedEnd)
    {
        var config = new ProxyConfig { ShardStart = start, ShardEnd = end };
        Assert.True(config.TryGetShardRange(total, out var s, out var e, out _));
        Assert.Equal((expectedStart, expectedEnd), (s, e));
    }

    [Fact]
    public void Shard_range_beyond_the_recommended_count_is_refused_with_a_reason()
    {
        var config = new ProxyConfig { ShardStart = 4, ShardEnd = 12 };
        Assert.False(config.TryGetShardRange(8, out _, out _, out var error));
        Assert.Equal("shards [4, 12) do not fit in a bot with 8 shards: set \"shard_start\" and \"shard_end\" within 0..8", error);
    }
}
