using System.Globalization;
using System.Net.Http;
using System.Text.Json;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using GatewayProxy.Egress.Routing;
using GatewayProxy.Tests.Egress.Support;
using GatewayProxy.Tests.Support;
using Xunit;

namespace GatewayProxy.Tests.Egress;

/// <summary>Virtual shards at the egress seam: the guild → client mapping, events without a guild, the shards a client
/// spans, its commands, and the advertised shard count.</summary>
public sealed class VirtualShardRelayTests
{
    /// <summary>For any guild, client count n and upstream count N: exactly one client index takes the guild, the one the
    /// formula names, and that client reads the upstream shard that holds the guild.</summary>
    [Property(MaxTest = 2000)]
    public bool Every_guild_maps_to_exactly_the_client_the_formula_names_and_that_client_reads_its_upstream_shard(ulong guildId, PositiveInt clientCount, PositiveInt upstreamCount)
    {
        ulong guild = Math.Max(guildId, 1UL); // 0 means "no guild" on the relay path
        int n = ((clientCount.Get - 1) % VirtualShard.MaxCount) + 1;
        int upstream = ((upstreamCount.Get - 1) % 64) + 1;
        int owner = (int)((guild >> 22) % (ulong)n);
        int holder = (int)((guild >> 22) % (ulong)upstream);
        // The owner takes it and its neighbours, the first and the last index do not (all n would be slow at n = 4096).
        foreach (int i in new[] { 0, owner, (owner + 1) % n, (owner + n - 1) % n, n - 1 }.Distinct())
        {
            var shard = new VirtualShard(i, n);
            if (shard.Accepts(guild, holder) != (i == owner) || shard.Contains(guild) != (i == owner)) return false;
        }

        int[] read = new VirtualShard(owner, n).UpstreamShards(upstream);
        // Ascending, distinct, in range, and holding the guild's shard.
        for (int k = 1; k < read.Length; k++)
        {
            if (read[k] <= read[k - 1]) return false;
        }

        return read.Length > 0 && read[0] >= 0 && read[^1] < upstream && Array.IndexOf(read, holder) >= 0;
    }

    [Fact]
    public void A_client_reads_only_the_upstream_shards_that_can_hold_its_guilds()
    {
        Assert.Equal([0, 1, 2, 3], new VirtualShard(0, 1).UpstreamShards(4));
        Assert.Equal([3], new VirtualShard(3, 8).UpstreamShards(4));
        Assert.Equal([1, 3], new VirtualShard(1, 2).UpstreamShards(4));
        Assert.Equal([2], new VirtualShard(6, 8).UpstreamShards(4));
        Assert.Equal([0, 1, 2], new VirtualShard(4, 5).UpstreamShards(3));
        // Events without a guild: index 0 only, from upstream shard 0 only (no copy per upstream shard).
        Assert.True(new VirtualShard(0, 3).Accepts(0, 0));
        Assert.False(new VirtualShard(0, 3).Accepts(0, 1));
        Assert.False(new VirtualShard(1, 3).Accepts(0, 0));
    }

    [Fact]
    public async Task A_client_at_one_shard_over_two_gets_both_shards_guilds_and_events_and_the_direct_messages_of_shard_0_only()
    {
        // Guild ids whose (id >> 22) % 2 matches their shard, as Discord's are.
        ulong g0 = 10UL << 22, g1 = 11UL << 22;
        await using EgressTestServer server = EgressTestServer.Start(total: 2, count: 2);
        server.Feeds[0].Guilds = [new TestGuild(g0, false)];
        server.Feeds[1].Guilds = [new TestGuild(g1, false)];
        await using RawGatewayClient client = await server.ConnectAsync();
        await client.IdentifyAsync(EgressTestServer.Token, 0, 1, 513);
        GatewayMessage ready = await client.ReceiveAsync();
        Assert.Equal([g0, g1], ready.Data.GetProperty("guilds").EnumerateArray().Select(g => ulong.Parse(g.GetProperty("id").GetString()!, CultureInfo.InvariantCulture)).Order());
        Assert.Equal([0, 1], ready.Data.GetProperty("shard").EnumerateArray().Select(e => e.GetInt32()));
        Assert.Equal("GUILD_CREATE", (await client.ReceiveAsync()).Type);
        Assert.Equal("GUILD_CREATE", (await client.ReceiveAsync()).Type);

        server.Feeds[1].Publish("MESSAGE_CREATE", "{\"channel_id\":\"1\",\"content\":\"dm on 1\"}");
        server.Feeds[1].Publish("MESSAGE_CREATE", $"{{\"guild_id\":\"{g1}\",\"content\":\"guild 1\"}}");
        server.Feeds[0].Publish("MESSAGE_CREATE", "{\"channel_id\":\"1\",\"content\":\"dm on 0\"}");
        var got = new List<GatewayMessage> { await client.ReceiveAsync(), await client.ReceiveAsync() };
        Assert.Equal(["dm on 0", "guild 1"], got.Select(m => m.Data.GetProperty("content").GetString()).Order());
        Assert.Equal([4L, 5L], got.Select(m => m.Seq!.Value));

        // op 3 goes to both shards, op 8 to the guild's shard only.
        await client.SendAsync("{\"op\":3,\"d\":{\"since\":null,\"activities\":[],\"status\":\"idle\",\"afk\":false}}");
        await client.SendAsync($"{{\"op\":8,\"d\":{{\"guild_id\":\"{g1}\",\"query\":\"\",\"limit\":0}}}}");
        await client.SendAsync("{\"op\":1,\"d\":null}");
        while ((await client.ReceiveAsync()).Op != 11)
        {
        }

        Assert.Equal([3], server.Feeds[0].Commands.Select(Op));
        Assert.Equal([3, 8], server.Feeds[1].Commands.Select(Op));
    }

    [Fact]
    public async Task A_virtual_shard_whose_guilds_live_on_shards_this_proxy_does_not_serve_is_refused_with_4010_naming_them()
    {
        await using EgressTestServer server = EgressTestServer.Start(total: 4, count: 2);
        await using RawGatewayClient client = await server.ConnectAsync();
        await client.IdentifyAsync(EgressTestServer.Token, 1, 2, 513);
        Assert.Equal((ushort)4010, await client.ReceiveCloseAsync());
        Assert.Contains("upstream shards 1,3 of 4", client.CloseReceived!.Value.Reason, StringComparison.Ordinal);
        Assert.Contains("serves only [0, 2)", client.CloseReceived!.Value.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null, "2")]
    [InlineData(16, "16")]
    public async Task Gateway_bot_and_shard_count_report_client_shards_or_the_upstream_count(int? clientShards, string expected)
    {
        await using EgressTestServer server = EgressTestServer.Start(o => o.ClientShards = clientShards, total: 2, count: 2);
        using var http = new HttpClient { BaseAddress = server.HttpUrl };
        Assert.Equal(expected, await http.GetStringAsync(new Uri("/shard-count", UriKind.Relative)));
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri("/api/v10/gateway/bot", UriKind.Relative));
        request.Headers.TryAddWithoutValidation("Authorization", "Bot " + EgressTestServer.Token);
        using HttpResponseMessage response = await http.SendAsync(request);
        using JsonDocument body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(int.Parse(expected, CultureInfo.InvariantCulture), body.RootElement.GetProperty("shards").GetInt32());
    }

    private static int Op(string command)
    {
        using JsonDocument document = JsonDocument.Parse(command);
        return document.RootElement.GetProperty("op").GetInt32();
    }
}
