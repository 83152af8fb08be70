using System.Buffers;
using System.Text;
using System.Text.Json;
using GatewayProxy.Egress.Clients;
using GatewayProxy.Egress.Routing;
using GatewayProxy.Protocol.Gateway;
using Xunit;

namespace GatewayProxy.Tests.Egress.Clients;

public sealed class ClientPiecesTests
{
    [Fact]
    public void Rate_limiter_allows_120_per_sliding_minute()
    {
        var limiter = new ClientRateLimiter();
        for (int i = 0; i < 120; i++) Assert.True(limiter.TryAcquire(1000 + i));
        Assert.False(limiter.TryAcquire(30_000));
        Assert.False(limiter.TryAcquire(60_999));
        Assert.True(limiter.TryAcquire(61_000)); // the first payload left the window
        Assert.False(limiter.TryAcquire(61_000));
        Assert.True(limiter.TryAcquire(61_001));
    }

    [Theory]
    [InlineData("{\"token\":\"t\"}", 0, 1, 0L, 50, false)]
    [InlineData("{\"token\":\"t\",\"shard\":[3,8],\"intents\":513,\"large_threshold\":10,\"compress\":true}", 3, 8, 513L, 50, true)]
    [InlineData("{\"token\":\"t\",\"shard\":null,\"large_threshold\":300,\"compress\":\"zlib-stream\",\"v\":10}", 0, 1, 0L, 250, false)]
    public void Identify_is_parsed_leniently(string d, int shardId, int shardCount, long intents, int largeThreshold, bool compress)
    {
        using JsonDocument document = JsonDocument.Parse(d);
        Assert.True(ClientIdentify.TryParse(document.RootElement, out ClientIdentify? request, out _, out _));
        Assert.Equal((shardId, shardCount, intents, largeThreshold, compress),
            (request!.ShardId, request.ShardCount, request.Intents, request.LargeThreshold, request.PayloadCompression));
    }

    [Theory]
    [InlineData("{}", 4004)]
    [InlineData("{\"token\":5}", 4004)]
    [InlineData("{\"token\":\"t\",\"shard\":[1]}", 4010)]
    [InlineData("{\"token\":\"t\",\"shard\":\"0,1\"}", 4010)]
    [InlineData("{\"token\":\"t\",\"intents\":\"all\"}", 4013)]
    [InlineData("[]", 4002)]
    public void Bad_identify_says_which_close_code(string d, int code)
    {
        using JsonDocument document = JsonDocument.Parse(d);
        Assert.False(ClientIdentify.TryParse(document.RootElement, out _, out GatewayCloseCode closeCode, out string? reason));
        Assert.Equal(code, (int)closeCode);
        Assert.False(string.IsNullOrEmpty(reason));
    }

    [Theory]
    [InlineData("abc", "abc", true)]
    [InlineData("Bot abc", "abc", true)]
    [InlineData("abc", "Bot abc", true)]
    [InlineData("bot abc", "Bot abc", true)]
    [InlineData("abd", "abc", false)]
    [InlineData("ab", "abc", false)]
    public void Tokens_compare_with_or_without_the_bot_prefix(string given, string expected, bool match) =>
        Assert.Equal(match, ClientIdentify.TokenMatches(given, expected));

    [Fact]
    public void Ready_has_every_key_libraries_read()
    {
        var output = new ArrayBufferWriter<byte>();
        ReadyWriter.Write(output, "{\"id\":\"1\",\"username\":\"b\"}"u8, [10UL, 11UL], "abcd", "ws://h:1", 2, 4, "{\"id\":\"1\",\"flags\":0}"u8);
        byte[] bytes = output.WrittenSpan.ToArray();
        Assert.True(EnvelopeScanner.TryScan(bytes, out Envelope envelope, out _));
        Assert.Equal((0, 1L, EventKind.Ready), (envelope.Op, envelope.Seq, envelope.Kind));
        using JsonDocument document = JsonDocument.Parse(bytes);
        JsonElement d = document.RootElement.GetProperty("d");
        Assert.Equal(10, d.GetProperty("v").GetInt32());
        Assert.Equal("[{\"id\":\"10\",\"unavailable\":true},{\"id\":\"11\",\"unavailable\":true}]", d.GetProperty("guilds").GetRawText());
        Assert.Equal("abcd", d.GetProperty("session_id").GetString());
        Assert.Equal("ws://h:1", d.GetProperty("resume_gateway_url").GetString());
        Assert.Equal("[2,4]", d.GetProperty("shard").GetRawText());
        Assert.Equal(0, d.GetProperty("application").GetProperty("flags").GetInt32());
        foreach (string key in new[] { "private_channels", "relationships", "presences", "guild_join_requests", "geo_ordered_rtc_regions", "_trace" })
        {
            Assert.Equal(JsonValueKind.Array, d.GetProperty(key).ValueKind);
        }
    }

    [Fact]
    public void Soundboard_replies_go_to_the_oldest_earlier_request_and_the_decision_is_stable()
    {
        var router = new SoundboardRouter();
        router.Request(5, session: 1, ringCursor: 10);
        router.Request(5, session: 2, ringCursor: 12);
        router.Request(6, session: 3, ringCursor: 12);
        Assert.Equal(0, router.Resolve(10, 5));  // published before any request could be answered
        Assert.Equal(1, router.Resolve(11, 5));
        Assert.Equal(1, router.Resolve(11, 5));  // another client meets the same event
        Assert.Equal(3, router.Resolve(13, 6));
        Assert.Equal(2, router.Resolve(14, 5));
        Assert.Equal(0, router.Resolve(15, 5));
    }

    [Fact]
    public void Unavailable_guild_payload_is_a_guild_delete()
    {
        var output = new ArrayBufferWriter<byte>();
        ReadyWriter.WriteUnavailableGuild(output, 77, 9);
        Assert.Equal("{\"t\":\"GUILD_DELETE\",\"s\":9,\"op\":0,\"d\":{\"id\":\"77\",\"unavailable\":true}}", Encoding.UTF8.GetString(output.WrittenSpan));
    }
}
