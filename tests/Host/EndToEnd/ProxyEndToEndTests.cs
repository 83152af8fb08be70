using Xunit;
using System.Text.Json;
using GatewayProxy.Protocol.Compression;
using GatewayProxy.Simulator;
using GatewayProxy.Tests.Support;

namespace GatewayProxy.Tests.Host.EndToEnd;

/// <summary>Simulator → proxy (Ingress, Ring, Egress as the executable wires them) → raw client, over loopback.</summary>
public class ProxyEndToEndTests
{
    [Theory]
    [InlineData(TransportCompression.None)]
    [InlineData(TransportCompression.ZlibStream)]
    [InlineData(TransportCompression.ZstdStream)]
    public async Task Client_gets_ready_its_shards_guilds_then_every_live_event_byte_identical(TransportCompression compression)
    {
        await using ProxyFixture fixture = await ProxyFixture.StartAsync();
        await using ProxyClient client = await fixture.ConnectIdentifiedAsync(shard: 1, compression);

        // READY lists exactly shard 1's guilds, and every one of them is answered with a GUILD_CREATE.
        var expectedGuilds = fixture.Simulator.State.GetGuildIds(1).Select(id => id.ToString(System.Globalization.CultureInfo.InvariantCulture)).Order().ToList();
        var readyGuilds = client.Ready.Data.GetProperty("guilds").EnumerateArray().Select(g => g.GetProperty("id").GetString()!).Order().ToList();
        Assert.Equal(expectedGuilds, readyGuilds);
        Assert.Equal(expectedGuilds, client.Guilds.Select(g => g.Data.GetProperty("id").GetString()!).Order().ToList());
        Assert.All(client.Guilds, g => Assert.Equal("GUILD_CREATE", g.Type));
        Assert.Equal(1, client.Ready.Seq);
        Assert.Equal(Enumerable.Range(2, client.Guilds.Count).Select(i => (long?)i), client.Guilds.Select(g => g.Seq));
        Assert.Equal(new[] { 1, 2 }, client.Ready.Data.GetProperty("shard").EnumerateArray().Select(e => e.GetInt32()));

        int before = fixture.LiveDispatches(1).Count;
        await fixture.Simulator.EmitEventsAsync(1, 60);
        List<Support.GatewayMessage> received = await client.ReceiveDispatchesAsync(60);

        IReadOnlyList<SentDispatch> sent = fixture.LiveDispatches(1).Skip(before).ToList();
        ProxyFixture.AssertRelayed(sent, received, firstSeq: client.Guilds.Count + 2);
    }

    [Fact]
    public async Task Two_clients_on_one_shard_each_get_every_event_and_a_restarted_client_causes_no_new_identify()
    {
        await using ProxyFixture fixture = await ProxyFixture.StartAsync();
        int identifies = fixture.Simulator.IdentifyCount;
        await using ProxyClient a = await fixture.ConnectIdentifiedAsync(0);
        await using ProxyClient b = await fixture.ConnectIdentifiedAsync(0, TransportCompression.ZlibStream);

        int before = fixture.LiveDispatches(0).Count;
        await fixture.Simulator.EmitEventsAsync(0, 40);
        List<Support.GatewayMessage> gotA = await a.ReceiveDispatchesAsync(40);
        List<Support.GatewayMessage> gotB = await b.ReceiveDispatchesAsync(40);
        IReadOnlyList<SentDispatch> sent = fixture.LiveDispatches(0).Skip(before).ToList();
        ProxyFixture.AssertRelayed(sent, gotA, a.Guilds.Count + 2);
        ProxyFixture.AssertRelayed(sent, gotB, b.Guilds.Count + 2);

        // The bot "restarts": its connection goes away and a new one identifies. Upstream is untouched.
        await a.Client.CloseAsync(1000, "restart");
        await using ProxyClient again = await fixture.ConnectIdentifiedAsync(0);
        Assert.Equal(a.Guilds.Count, again.Guilds.Count);
        Assert.Equal(identifies, fixture.Simulator.IdentifyCount);
        Assert.NotEqual(a.SessionId, again.SessionId);
    }

    [Fact]
    public async Task Resume_after_a_dropped_socket_replays_the_gap_then_RESUMED()
    {
        await using ProxyFixture fixture = await ProxyFixture.StartAsync();
        ProxyClient first = await fixture.ConnectIdentifiedAsync(0);
        int before = fixture.LiveDispatches(0).Count;
        await fixture.Simulator.EmitEventsAsync(0, 10);
        List<Support.GatewayMessage> seen = await first.ReceiveDispatchesAsync(10);
        long lastSeq = seen[^1].Seq!.Value;
        first.Client.Abort();
        await first.DisposeAsync();

        await fixture.Simulator.EmitEventsAsync(0, 15);
        await fixture.WaitUntilAsync(() => fixture.LiveDispatches(0).Count == before + 25, "the simulator to send 25 events");
        // The ring must hold them before the RESUME, else they are (rightly) live events after RESUMED, not a replay.
        await fixture.WaitUntilAsync(() => fixture.Proxy.Shards.GetShard(0)!.Ring.Cursor + 1 >= CountRingEvents(fixture), "the proxy's ring to hold every event sent");
        await fixture.WaitUntilAsync(() => fixture.Proxy.Shards.GetShard(0)!.Cache.Position >= fixture.Proxy.Shards.GetShard(0)!.Ring.Cursor, "the proxy to take in every event");

        await using RawGatewayClient resumed = await RawGatewayClient.ConnectAsync(fixture.ProxyUrl);
        Assert.Equal(10, (await resumed.ReceiveAsync(ProxyFixture.WaitLimit)).Op);
        await resumed.ResumeAsync(fixture.Token, first.SessionId, lastSeq);
        var replay = new List<Support.GatewayMessage>();
        Support.GatewayMessage message;
        while ((message = await resumed.ReceiveAsync(ProxyFixture.WaitLimit)).Type != "RESUMED")
        {
            if (message.Op == 0)
            {
                replay.Add(message);
            }
        }

        IReadOnlyList<SentDispatch> gap = fixture.LiveDispatches(0).Skip(before + 10).ToList();
        ProxyFixture.AssertRelayed(gap, replay, lastSeq + 1);
        Assert.Equal(lastSeq + 16, message.Seq);
    }

    [Fact]
    public async Task Resume_with_an_unknown_session_gets_invalid_session_false()
    {
        await using ProxyFixture fixture = await ProxyFixture.StartAsync();
        await using RawGatewayClient client = await RawGatewayClient.ConnectAsync(fixture.ProxyUrl);
        Assert.Equal(10, (await client.ReceiveAsync(ProxyFixture.WaitLimit)).Op);
        await client.ResumeAsync(fixture.Token, "0123456789abcdef0123456789abcdef", 5);
        Support.GatewayMessage answer = await client.ReceiveAsync(ProxyFixture.WaitLimit);
        Assert.Equal(9, answer.Op);
        Assert.Equal(JsonValueKind.False, answer.Data.ValueKind);
    }

    [Fact]
    public async Task A_client_identifying_during_a_firehose_misses_nothing_and_gets_nothing_twice()
    {
        await using ProxyFixture fixture = await ProxyFixture.StartAsync(o => o.MembersPerGuild = 30);
        fixture.Simulator.SetRate(3000);
        await fixture.WaitUntilAsync(() => fixture.LiveDispatches(0).Count > 200, "the stream to run");

        await using ProxyClient client = await fixture.ConnectIdentifiedAsync(0);
        await fixture.WaitUntilAsync(() => fixture.LiveDispatches(0).Count > 600, "more events after the identify");
        fixture.Simulator.SetRate(0);

        // Let the last event through: wait until the proxy's ring holds everything the simulator sent.
        await fixture.WaitUntilAsync(() => fixture.Proxy.Shards.GetShard(0)!.Ring.Cursor + 1 >= CountRingEvents(fixture), "the proxy to take in every event");
        IReadOnlyList<SentDispatch> sent = fixture.LiveDispatches(0);
        long firstLiveSeq = client.Guilds.Count + 2;

        // Every event after the snapshot arrives: read until what the client has ends like what the simulator sent. Not
        // merely until its last event equals the simulator's last: the stream repeats payloads (a member's presence or
        // roles toggled back), so an earlier equal event would stop the read short.
        var received = new List<Support.GatewayMessage>();
        while (received.Count == 0 || !SameEvent(received[^1], sent[^1]) || !IsTailOf(received, sent))
        {
            try
            {
                received.AddRange(await client.ReceiveDispatchesAsync(1));
            }
            catch (TimeoutException)
            {
                Assert.Fail($"the client's {received.Count} live events (last s {received.LastOrDefault()?.Seq}) never became a tail of the "
                    + $"{sent.Count} the simulator sent: an event was duplicated or is not the simulator's");
            }
        }

        // They form a contiguous tail of what the simulator sent (nothing twice, nothing skipped) ...
        int start = sent.Count - received.Count;
        Assert.True(start >= 0, "the client got more events than were sent after its snapshot");
        ProxyFixture.AssertRelayed(sent.Skip(start).ToList(), received, firstLiveSeq);

        // ... and together with the snapshot they rebuild the simulator's state: the boundary lost nothing.
        foreach (Support.GatewayMessage guild in client.Guilds.Where(g => g.Type == "GUILD_CREATE"))
        {
            string id = guild.Data.GetProperty("id").GetString()!;
            int members = guild.Data.GetProperty("member_count").GetInt32();
            members += received.Count(e => e.Type == "GUILD_MEMBER_ADD" && e.Data.GetProperty("guild_id").GetString() == id);
            members -= received.Count(e => e.Type == "GUILD_MEMBER_REMOVE" && e.Data.GetProperty("guild_id").GetString() == id);
            var channels = guild.Data.GetProperty("channels").EnumerateArray().Select(c => c.GetProperty("id").GetString()!).ToHashSet();
            foreach (Support.GatewayMessage e in received.Where(e => e.Data.ValueKind == JsonValueKind.Object && e.Data.TryGetProperty("guild_id", out JsonElement g) && g.GetString() == id))
            {
                if (e.Type == "CHANNEL_CREATE")
                {
                    channels.Add(e.Data.GetProperty("id").GetString()!);
                }
                else if (e.Type == "CHANNEL_DELETE")
                {
                    channels.Remove(e.Data.GetProperty("id").GetString()!);
                }
            }

            JsonElement expected = JsonSerializer.SerializeToElement(fixture.Simulator.State.GetGuild(id));
            Assert.Equal(expected.GetProperty("member_count").GetInt32(), members);
            Assert.Equal(expected.GetProperty("channels").EnumerateArray().Select(c => c.GetProperty("id").GetString()!).Order(), channels.Order());
        }
    }

    [Fact]
    public async Task Guild_member_chunks_reach_only_the_requester_with_its_own_nonce()
    {
        await using ProxyFixture fixture = await ProxyFixture.StartAsync();
        await using ProxyClient requester = await fixture.ConnectIdentifiedAsync(0);
        await using ProxyClient other = await fixture.ConnectIdentifiedAsync(0);
        string guildId = requester.Guilds[0].Data.GetProperty("id").GetString()!;

        await requester.Client.SendAsync($$$"""{"op":8,"d":{"guild_id":"{{{guildId}}}","query":"","limit":0,"nonce":"my-nonce-1"}}""");
        List<Support.GatewayMessage> reply = await requester.ReceiveDispatchesAsync(1);
        Assert.Equal("GUILD_MEMBERS_CHUNK", reply[0].Type);
        Assert.Equal("my-nonce-1", reply[0].Data.GetProperty("nonce").GetString());
        Assert.Equal(guildId, reply[0].Data.GetProperty("guild_id").GetString());

        // The other client's next dispatch is the next live event, not the chunk, and its sequence has no hole.
        int before = fixture.LiveDispatches(0).Count;
        await fixture.Simulator.EmitEventsAsync(0, 1);
        List<Support.GatewayMessage> next = await other.ReceiveDispatchesAsync(1);
        Assert.NotEqual("GUILD_MEMBERS_CHUNK", next[0].Type);
        ProxyFixture.AssertRelayed(fixture.LiveDispatches(0).Skip(before).ToList(), next, other.Guilds.Count + 2);
    }

    private static long CountRingEvents(ProxyFixture fixture)
    {
        // Every upstream dispatch of the current session is published, READY included.
        IReadOnlyList<SentDispatch> all = fixture.Simulator.GetSentDispatches(0);
        return all.Count;
    }

    private static bool IsTailOf(List<Support.GatewayMessage> received, IReadOnlyList<SentDispatch> sent)
    {
        int start = sent.Count - received.Count;
        if (start < 0) return false;
        for (int i = 0; i < received.Count; i++)
        {
            if (!SameEvent(received[i], sent[start + i])) return false;
        }

        return true;
    }

    private static bool SameEvent(Support.GatewayMessage received, SentDispatch sent) =>
        received.Type == sent.Type && received.Data.GetRawText() == JsonDocument.Parse(sent.Payload).RootElement.GetProperty("d").GetRawText();
}
