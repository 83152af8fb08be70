using System.Globalization;
using System.Text;
using System.Text.Json;
using GatewayProxy.Protocol.Gateway;
using GatewayProxy.Simulator;
using GatewayProxy.Tests.Support;
using Xunit;

namespace GatewayProxy.Tests.Host.EndToEnd;

/// <summary>Virtual shards against the Simulator: a client at [i, n] gets exactly the guilds with
/// (guild_id &gt;&gt; 22) % n == i, whichever upstream shard holds them (docs/architecture.md, "Virtual shards").</summary>
public sealed class VirtualShardTests
{
    [Theory]
    [InlineData(2, 1)]
    [InlineData(2, 2)]
    [InlineData(2, 4)]
    [InlineData(4, 1)]
    [InlineData(4, 4)]
    [InlineData(4, 8)]
    public async Task Clients_at_any_shard_count_get_exactly_their_guilds_and_every_live_event_once_with_seq_plus_one(int upstream, int n)
    {
        await using ProxyFixture fixture = await ProxyFixture.StartAsync(o =>
        {
            o.ShardCount = upstream;
            o.GuildCount = 6 * upstream;
        });
        List<ulong> allGuilds = AllGuilds(fixture);
        var clients = new List<ProxyClient>();
        try
        {
            for (int i = 0; i < n; i++)
            {
                ProxyClient client = await ProxyFixture.ConnectIdentifiedAsync(fixture.ProxyUrl, fixture.Token, i, n);
                clients.Add(client);
                var expected = allGuilds.Where(g => (int)((g >> 22) % (ulong)n) == i).Order().ToList();
                Assert.Equal(expected, ReadyGuilds(client).Order().ToList());
                Assert.Equal(expected, client.Guilds.Select(m => ulong.Parse(m.Data.GetProperty("id").GetString()!, CultureInfo.InvariantCulture)).Order().ToList());
                Assert.Equal([i, n], client.Ready.Data.GetProperty("shard").EnumerateArray().Select(e => e.GetInt32()));
                Assert.Equal(Enumerable.Range(2, client.Guilds.Count).Select(s => (long?)s), client.Guilds.Select(g => g.Seq));
            }

            // Every guild belongs to exactly one client.
            Assert.Equal(allGuilds.Count, clients.Sum(c => c.Guilds.Count));

            var nextSeq = clients.Select(c => (long)c.Guilds.Count + 2).ToArray();
            for (int round = 0; round < 2; round++)
            {
                int[] before = Enumerable.Range(0, upstream).Select(s => fixture.LiveDispatches(s).Count).ToArray();
                for (int s = 0; s < upstream; s++) await fixture.Simulator.EmitEventsAsync(s, 40);
                await fixture.WaitUntilAsync(() => Enumerable.Range(0, upstream).All(s => fixture.LiveDispatches(s).Count >= before[s] + 40), "the simulator to send every event");
                var sent = Enumerable.Range(0, upstream).Select(s => fixture.LiveDispatches(s).Skip(before[s]).ToList()).ToArray();

                for (int i = 0; i < n; i++)
                {
                    // Expected: shard i's events at the upstream count (today's path), else the guild's virtual shard.
                    var expected = new List<(int Shard, SentDispatch Event)>();
                    for (int s = 0; s < upstream; s++)
                    {
                        foreach (SentDispatch d in sent[s])
                        {
                            ulong guild = GuildOf(d);
                            bool mine = n == upstream ? s == i : guild != 0 ? (int)((guild >> 22) % (ulong)n) == i : i == 0 && s == 0;
                            if (mine) expected.Add((s, d));
                        }
                    }

                    List<GatewayMessage> got = await clients[i].ReceiveDispatchesAsync(expected.Count);
                    // seq +1 from where the client was, across rounds and rings.
                    for (int k = 0; k < got.Count; k++) Assert.Equal(nextSeq[i] + k, got[k].Seq);
                    nextSeq[i] += got.Count;
                    // Exactly the expected events (a late one from the previous round, or a duplicate, fails here), each
                    // byte-identical apart from s, and each guild's events in upstream order.
                    Assert.Equal(expected.Select(e => Unsequenced(e.Event.Payload)).Order(StringComparer.Ordinal),
                        got.Select(m => Unsequenced(m.Json)).Order(StringComparer.Ordinal));
                    foreach (IGrouping<ulong, (int Shard, SentDispatch Event)> guild in expected.GroupBy(e => GuildOf(e.Event)))
                    {
                        var order = got.Where(m => GuildOf(m) == guild.Key).Select(m => Unsequenced(m.Json)).ToList();
                        Assert.Equal(guild.Select(e => Unsequenced(e.Event.Payload)), order);
                    }
                }
            }
        }
        finally
        {
            foreach (ProxyClient client in clients) await client.DisposeAsync();
        }
    }

    [Fact]
    public async Task Resume_of_a_client_reading_two_rings_replays_the_gap_from_both_then_RESUMED()
    {
        await using ProxyFixture fixture = await ProxyFixture.StartAsync(o => o.GuildCount = 8);
        ProxyClient first = await ProxyFixture.ConnectIdentifiedAsync(fixture.ProxyUrl, fixture.Token, 0, 1);
        Assert.Equal(8, first.Guilds.Count);
        int[] before = [fixture.LiveDispatches(0).Count, fixture.LiveDispatches(1).Count];
        await fixture.Simulator.EmitEventsAsync(0, 10);
        await fixture.Simulator.EmitEventsAsync(1, 10);
        List<GatewayMessage> seen = await first.ReceiveDispatchesAsync(20);
        long lastSeq = seen[^1].Seq!.Value;
        first.Client.Abort();
        await first.DisposeAsync();

        await fixture.Simulator.EmitEventsAsync(0, 12);
        await fixture.Simulator.EmitEventsAsync(1, 9);
        await fixture.WaitUntilAsync(() => fixture.LiveDispatches(0).Count == before[0] + 22 && fixture.LiveDispatches(1).Count == before[1] + 19, "the simulator to send every event");
        // The rings must hold them before the RESUME, else they are (rightly) live events after RESUMED, not a replay.
        await fixture.WaitUntilAsync(() => Enumerable.Range(0, 2).All(s => fixture.Proxy.Shards.GetShard(s)!.Cache.Position >= fixture.Proxy.Shards.GetShard(s)!.Ring.Cursor
            && fixture.Proxy.Shards.GetShard(s)!.Ring.Cursor + 1 >= fixture.AllSentDispatches(s).Count), "the proxy to take in every event");

        await using RawGatewayClient resumed = await RawGatewayClient.ConnectAsync(fixture.ProxyUrl);
        Assert.Equal(10, (await resumed.ReceiveAsync(ProxyFixture.WaitLimit)).Op);
        await resumed.ResumeAsync(fixture.Token, first.SessionId, lastSeq);
        var replay = new List<GatewayMessage>();
        GatewayMessage message;
        while ((message = await resumed.ReceiveAsync(ProxyFixture.WaitLimit)).Type != "RESUMED")
        {
            if (message.Op == 0) replay.Add(message);
        }

        var gap = fixture.LiveDispatches(0).Skip(before[0] + 10).Concat(fixture.LiveDispatches(1).Skip(before[1] + 10)).ToList();
        Assert.Equal(21, replay.Count);
        Assert.Equal(Enumerable.Range(1, 21).Select(k => (long?)(lastSeq + k)), replay.Select(m => m.Seq));
        Assert.Equal(gap.Select(d => Unsequenced(d.Payload)).Order(StringComparer.Ordinal), replay.Select(m => Unsequenced(m.Json)).Order(StringComparer.Ordinal));
        Assert.Equal(lastSeq + 22, message.Seq);

        // And live again, from both rings.
        await fixture.Simulator.EmitEventsAsync(1, 3);
        var live = new List<GatewayMessage>();
        while (live.Count < 3)
        {
            GatewayMessage next = await resumed.ReceiveAsync(ProxyFixture.WaitLimit);
            if (next.Op == 0) live.Add(next);
        }

        Assert.Equal([lastSeq + 23, lastSeq + 24, lastSeq + 25], live.Select(m => m.Seq!.Value));
    }

    [Fact]
    public async Task Op_8_from_a_client_at_one_shard_reaches_the_guilds_upstream_shard_and_the_chunks_come_back_to_it_only()
    {
        await using ProxyFixture fixture = await ProxyFixture.StartAsync(o => o.GuildCount = 8);
        await using ProxyClient asker = await ProxyFixture.ConnectIdentifiedAsync(fixture.ProxyUrl, fixture.Token, 0, 1);
        await using ProxyClient other = await ProxyFixture.ConnectIdentifiedAsync(fixture.ProxyUrl, fixture.Token, 0, 1);
        await using ProxyClient direct = await fixture.ConnectIdentifiedAsync(1);
        string guildId = fixture.Simulator.State.GetGuildIds(1)[0];
        int commandsBefore = fixture.Simulator.GetReceivedCommands(1).Count(c => c.Op == 8);
        int shard0Before = fixture.Simulator.GetReceivedCommands(0).Count(c => c.Op == 8);

        await asker.Client.SendAsync($"{{\"op\":8,\"d\":{{\"guild_id\":\"{guildId}\",\"query\":\"\",\"limit\":0,\"nonce\":\"mine-1\"}}}}");
        GatewayMessage chunk = (await asker.ReceiveDispatchesAsync(1))[0];
        Assert.Equal("GUILD_MEMBERS_CHUNK", chunk.Type);
        Assert.Equal(guildId, chunk.Data.GetProperty("guild_id").GetString());
        Assert.Equal("mine-1", chunk.Data.GetProperty("nonce").GetString());
        Assert.Equal(asker.Guilds.Count + 2, chunk.Seq);
        Assert.Equal(commandsBefore + 1, fixture.Simulator.GetReceivedCommands(1).Count(c => c.Op == 8));
        Assert.Equal(shard0Before, fixture.Simulator.GetReceivedCommands(0).Count(c => c.Op == 8));

        // Then a live event on shard 1: the others get it as their next dispatch, with no chunk before it.
        int before = fixture.LiveDispatches(1).Count;
        await fixture.Simulator.EmitEventsAsync(1, 1);
        await fixture.WaitUntilAsync(() => fixture.LiveDispatches(1).Count > before, "the event");
        string next = Unsequenced(fixture.LiveDispatches(1)[before].Payload);
        GatewayMessage forOther = (await other.ReceiveDispatchesAsync(1))[0];
        GatewayMessage forDirect = (await direct.ReceiveDispatchesAsync(1))[0];
        Assert.Equal((next, (long?)(other.Guilds.Count + 2)), (Unsequenced(forOther.Json), forOther.Seq));
        Assert.Equal((next, (long?)(direct.Guilds.Count + 2)), (Unsequenced(forDirect.Json), forDirect.Seq));
    }

    private static List<ulong> AllGuilds(ProxyFixture fixture)
    {
        var all = new List<ulong>();
        for (int s = 0; s < fixture.ShardCount; s++)
        {
            all.AddRange(fixture.Simulator.State.GetGuildIds(s).Select(id => ulong.Parse(id, CultureInfo.InvariantCulture)));
        }

        return all;
    }

    internal static IEnumerable<ulong> ReadyGuilds(ProxyClient client) =>
        client.Ready.Data.GetProperty("guilds").EnumerateArray().Select(g => ulong.Parse(g.GetProperty("id").GetString()!, CultureInfo.InvariantCulture));

    internal static ulong GuildOf(SentDispatch d) => GuildOf(d.Type, JsonDocument.Parse(d.Payload).RootElement.GetProperty("d"));

    internal static ulong GuildOf(GatewayMessage m) => GuildOf(m.Type, m.Data);

    private static ulong GuildOf(string? type, JsonElement d)
    {
        string key = type is "GUILD_CREATE" or "GUILD_UPDATE" or "GUILD_DELETE" ? "id" : "guild_id";
        return d.ValueKind == JsonValueKind.Object && d.TryGetProperty(key, out JsonElement id) && id.ValueKind == JsonValueKind.String
            ? ulong.Parse(id.GetString()!, CultureInfo.InvariantCulture)
            : 0;
    }

    /// <summary>The payload without its <c>s</c> value: what must match byte for byte between upstream and a client.</summary>
    internal static string Unsequenced(byte[] payload)
    {
        Assert.True(EnvelopeScanner.TryScan(payload, out Envelope envelope, out _));
        return Encoding.UTF8.GetString(payload.AsSpan(0, envelope.SeqStart)) + Encoding.UTF8.GetString(payload.AsSpan(envelope.SeqStart + envelope.SeqLength));
    }
}
