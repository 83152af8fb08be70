using System.Text.Json;
using System.Text.Json.Nodes;
using GatewayProxy.Simulator;
using GatewayProxy.Tests.Support;
using Xunit;

namespace GatewayProxy.Tests.Simulator;

/// <summary>The live stream: rate and count, what a client receives equals what was recorded, and events keep the state consistent.</summary>
public sealed class EventStreamTests
{
    [Fact]
    public async Task Live_stream_sends_event_count_events_per_shard_then_stops()
    {
        await using var simulator = await SimulatorClients.StartAsync(o => { o.EventsPerSecond = 500; o.EventCount = 40; });
        await using var client = await SimulatorClients.ConnectIdentifiedAsync(simulator, 1);
        var live = new List<GatewayMessage>();
        while (live.Count < 40)
        {
            live.Add(await client.Client.ReceiveAsync());
        }

        // Nothing more is generated: a heartbeat's ACK is the next thing on the wire.
        await client.Client.HeartbeatAsync();
        Assert.Equal(11, (await client.Client.ReceiveAsync()).Op);

        var sent = simulator.GetSentDispatches(1);
        Assert.Equal(1 + client.GuildCreates.Count + 40, sent.Count);
        Assert.Equal(sent.Skip(1 + client.GuildCreates.Count).Select(d => Convert.ToHexString(d.Payload)), live.Select(m => Convert.ToHexString(m.Json)));
        Assert.Equal(Enumerable.Range(1, sent.Count).Select(i => (long)i), sent.Select(d => d.Seq));
    }

    [Fact]
    public async Task Set_rate_zero_pauses_and_emit_pushes_events_deterministically()
    {
        await using var simulator = await SimulatorClients.StartAsync(o => o.EventsPerSecond = 0);
        await using var client = await SimulatorClients.ConnectIdentifiedAsync(simulator, 0);
        Assert.Equal(3, await simulator.EmitEventsAsync(0, 3));
        var types = new List<string?>();
        for (var i = 0; i < 3; i++)
        {
            types.Add((await client.Client.ReceiveAsync()).Type);
        }

        await client.Client.HeartbeatAsync();
        Assert.Equal(11, (await client.Client.ReceiveAsync()).Op);
        Assert.All(types, t => Assert.NotNull(t));
    }

    [Fact]
    public async Task Events_keep_the_state_equal_to_a_cache_built_from_them()
    {
        await using var simulator = await SimulatorClients.StartAsync(o => o.GuildCount = 4);
        await using var client = await SimulatorClients.ConnectIdentifiedAsync(simulator, 0);
        var cache = new MiniCache();
        foreach (var guild in client.GuildCreates)
        {
            cache.Apply(guild);
        }

        var emitted = await simulator.EmitEventsAsync(0, 1500);
        Assert.Equal(1500, emitted);
        var types = new HashSet<string>();
        for (var i = 0; i < emitted; i++)
        {
            var message = await client.Client.ReceiveAsync();
            types.Add(message.Type!);
            cache.Apply(message);
        }

        // Every kind of live event occurred.
        string[] expected = ["MESSAGE_CREATE", "MESSAGE_UPDATE", "MESSAGE_DELETE", "GUILD_MEMBER_ADD", "GUILD_MEMBER_UPDATE", "GUILD_MEMBER_REMOVE",
            "CHANNEL_CREATE", "CHANNEL_UPDATE", "CHANNEL_DELETE", "GUILD_ROLE_CREATE", "GUILD_ROLE_UPDATE", "GUILD_ROLE_DELETE", "PRESENCE_UPDATE",
            "TYPING_START", "VOICE_STATE_UPDATE", "GUILD_UPDATE", "GUILD_DELETE", "GUILD_CREATE"];
        Assert.Subset(types, expected.ToHashSet());

        foreach (var guild in simulator.State.GetGuilds(0))
        {
            cache.AssertMatches(guild);
        }
    }

    [Fact]
    public async Task Intents_decide_which_events_a_session_gets()
    {
        await using var simulator = await SimulatorClients.StartAsync();
        await using var client = await SimulatorClients.ConnectIdentifiedAsync(simulator, 0, intents: 1 | 512);
        await simulator.EmitEventsAsync(0, 200);
        for (var i = 0; i < 200; i++)
        {
            var message = await client.Client.ReceiveAsync();
            Assert.DoesNotContain(message.Type, new[] { "PRESENCE_UPDATE", "GUILD_MEMBER_ADD", "TYPING_START", "VOICE_STATE_UPDATE" });
            if (message.Type is "MESSAGE_CREATE" or "MESSAGE_UPDATE")
            {
                // No MESSAGE_CONTENT intent: content is blanked.
                Assert.Equal("", message.Data.GetProperty("content").GetString());
            }
        }
    }

    /// <summary>A tiny cache that applies dispatches the way a client library does.</summary>
    private sealed class MiniCache
    {
        private readonly Dictionary<string, JsonObject> _guilds = [];

        public void Apply(GatewayMessage message)
        {
            var d = JsonNode.Parse(message.Json)!["d"]!.DeepClone().AsObject();
            var guildId = (string?)d["guild_id"];
            JsonObject G() => _guilds[guildId!];
            switch (message.Type)
            {
                case "GUILD_CREATE":
                    _guilds[(string)d["id"]!] = d;
                    break;
                case "GUILD_DELETE":
                    Assert.True((bool)d["unavailable"]!);
                    break;
                case "GUILD_UPDATE":
                    foreach (var (key, value) in d)
                    {
                        _guilds[(string)d["id"]!][key] = value?.DeepClone();
                    }

                    break;
                case "MESSAGE_CREATE":
                    var channel = Find(G(), "channels", (string)d["channel_id"]!) ?? Find(G(), "threads", (string)d["channel_id"]!)!;
                    channel["last_message_id"] = (string)d["id"]!;
                    if ((int)channel["type"]! == 11)
                    {
                        channel["message_count"] = (int)channel["message_count"]! + 1;
                        channel["total_message_sent"] = (int)channel["total_message_sent"]! + 1;
                    }

                    break;
                case "MESSAGE_DELETE":
                    if (Find(G(), "threads", (string)d["channel_id"]!) is { } thread)
                    {
                        thread["message_count"] = Math.Max(0, (int)thread["message_count"]! - 1);
                    }

                    break;
                case "GUILD_MEMBER_ADD":
                    d.Remove("guild_id");
                    G()["members"]!.AsArray().Add(d);
                    G()["member_count"] = (int)G()["member_count"]! + 1;
                    break;
                case "GUILD_MEMBER_UPDATE":
                    var member = FindMember(G(), (string)d["user"]!["id"]!)!;
                    member["roles"] = d["roles"]!.DeepClone();
                    member["nick"] = d["nick"]?.DeepClone();
                    break;
                case "GUILD_MEMBER_REMOVE":
                    var userId = (string)d["user"]!["id"]!;
                    G()["members"]!.AsArray().Remove(FindMember(G(), userId));
                    G()["member_count"] = (int)G()["member_count"]! - 1;
                    RemoveWhere(G()["presences"]!.AsArray(), p => (string)p["user"]!["id"]! == userId);
                    break;
                case "CHANNEL_CREATE":
                    d.Remove("guild_id");
                    G()["channels"]!.AsArray().Add(d);
                    break;
                case "CHANNEL_UPDATE":
                    d.Remove("guild_id");
                    var channels = G()["channels"]!.AsArray();
                    channels[channels.IndexOf(Find(G(), "channels", (string)d["id"]!))] = d;
                    break;
                case "CHANNEL_DELETE":
                    G()["channels"]!.AsArray().Remove(Find(G(), "channels", (string)d["id"]!));
                    break;
                case "GUILD_ROLE_CREATE":
                    G()["roles"]!.AsArray().Add(d["role"]!.DeepClone());
                    break;
                case "GUILD_ROLE_UPDATE":
                    var roles = G()["roles"]!.AsArray();
                    roles[roles.IndexOf(Find(G(), "roles", (string)d["role"]!["id"]!))] = d["role"]!.DeepClone();
                    break;
                case "GUILD_ROLE_DELETE":
                    G()["roles"]!.AsArray().Remove(Find(G(), "roles", (string)d["role_id"]!));
                    break;
                case "PRESENCE_UPDATE":
                    var presences = G()["presences"]!.AsArray();
                    var id = (string)d["user"]!["id"]!;
                    RemoveWhere(presences, p => (string)p["user"]!["id"]! == id);
                    if ((string)d["status"]! != "offline")
                    {
                        d.Remove("guild_id");
                        presences.Add(d);
                    }

                    break;
                case "VOICE_STATE_UPDATE":
                    var states = G()["voice_states"]!.AsArray();
                    var voiceUser = (string)d["user_id"]!;
                    RemoveWhere(states, v => (string)v["user_id"]! == voiceUser);
                    if (d["channel_id"] is not null)
                    {
                        d.Remove("guild_id");
                        d.Remove("member");
                        states.Add(d);
                    }

                    break;
            }
        }

        public void AssertMatches(JsonObject state)
        {
            var cached = _guilds[(string)state["id"]!];
            Assert.Equal(Canonical(state, "members", m => (string)m["user"]!["id"]!), Canonical(cached, "members", m => (string)m["user"]!["id"]!));
            Assert.Equal(Canonical(state, "roles", r => (string)r["id"]!), Canonical(cached, "roles", r => (string)r["id"]!));
            Assert.Equal(Canonical(state, "channels", c => (string)c["id"]!), Canonical(cached, "channels", c => (string)c["id"]!));
            Assert.Equal(Canonical(state, "threads", c => (string)c["id"]!), Canonical(cached, "threads", c => (string)c["id"]!));
            Assert.Equal(Canonical(state, "presences", p => (string)p["user"]!["id"]!), Canonical(cached, "presences", p => (string)p["user"]!["id"]!));
            Assert.Equal(Canonical(state, "voice_states", v => (string)v["user_id"]!), Canonical(cached, "voice_states", v => (string)v["user_id"]!));
            Assert.Equal((int)state["member_count"]!, (int)cached["member_count"]!);
            Assert.Equal((string?)state["name"], (string?)cached["name"]);
            Assert.Equal((string?)state["description"], (string?)cached["description"]);
        }

        private static string Canonical(JsonObject guild, string key, Func<JsonNode, string> id) =>
            string.Join('\n', guild[key]!.AsArray().Select(n => (id(n!), n!.ToJsonString())).OrderBy(p => p.Item1, StringComparer.Ordinal).Select(p => p.Item2));

        private static JsonObject? Find(JsonObject guild, string key, string id) =>
            guild[key]!.AsArray().FirstOrDefault(n => (string?)n!["id"] == id)?.AsObject();

        private static JsonObject? FindMember(JsonObject guild, string userId) =>
            guild["members"]!.AsArray().FirstOrDefault(n => (string?)n!["user"]!["id"] == userId)?.AsObject();

        private static void RemoveWhere(JsonArray array, Func<JsonNode, bool> match)
        {
            for (var i = array.Count - 1; i >= 0; i--)
            {
                if (match(array[i]!))
                {
                    array.RemoveAt(i);
                }
            }
        }
    }
}
