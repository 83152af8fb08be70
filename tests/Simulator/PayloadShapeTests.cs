using System.Text.Json;
using GatewayProxy.Tests.Support;
using Xunit;

namespace GatewayProxy.Tests.Simulator;

/// <summary>READY and GUILD_CREATE carry every field docs/architecture.md "Gateway facts" lists, in Discord's wire shape (t, s, op, d; compact).</summary>
public sealed class PayloadShapeTests
{
    [Fact]
    public async Task Ready_has_every_field_clients_read()
    {
        await using var simulator = await SimulatorClients.StartAsync();
        await using var client = await SimulatorClients.ConnectIdentifiedAsync(simulator, 1);
        var d = client.Ready.Data;
        Assert.Equal(10, d.GetProperty("v").GetInt32());
        Assert.Equal(simulator.State.BotUserId, d.GetProperty("user").GetProperty("id").GetString());
        Assert.True(d.GetProperty("user").GetProperty("bot").GetBoolean());
        Assert.Equal(32, d.GetProperty("session_id").GetString()!.Length);
        Assert.Equal($"ws://127.0.0.1:{simulator.Port}", d.GetProperty("resume_gateway_url").GetString());
        Assert.Equal(JsonValueKind.Array, d.GetProperty("private_channels").ValueKind);
        Assert.Equal([1, 2], d.GetProperty("shard").EnumerateArray().Select(e => e.GetInt32()));
        var application = d.GetProperty("application");
        Assert.Equal(simulator.State.BotUserId, application.GetProperty("id").GetString());
        Assert.Equal(JsonValueKind.Number, application.GetProperty("flags").ValueKind);
        var guilds = d.GetProperty("guilds").EnumerateArray().ToList();
        Assert.Equal(simulator.State.GetGuildIds(1), guilds.Select(g => g.GetProperty("id").GetString()));
        Assert.All(guilds, g => Assert.True(g.GetProperty("unavailable").GetBoolean()));
        Assert.Equal(1, client.Ready.Seq);
    }

    [Fact]
    public async Task Envelopes_are_compact_in_t_s_op_d_order()
    {
        await using var simulator = await SimulatorClients.StartAsync();
        await using var client = await SimulatorClients.ConnectIdentifiedAsync(simulator, 0);
        Assert.Equal("{\"t\":null,\"s\":null,\"op\":10,\"d\":{\"heartbeat_interval\":41250}}", client.Hello.ToString());
        foreach (var message in client.GuildCreates.Prepend(client.Ready))
        {
            var text = message.ToString();
            Assert.StartsWith($"{{\"t\":\"{message.Type}\",\"s\":{message.Seq},\"op\":0,\"d\":{{", text, StringComparison.Ordinal);
            Assert.DoesNotContain("\n", text, StringComparison.Ordinal);
            Assert.DoesNotContain("\": ", text, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Guild_create_has_every_protocol_field_and_roles_have_colors()
    {
        await using var simulator = await SimulatorClients.StartAsync();
        await using var client = await SimulatorClients.ConnectIdentifiedAsync(simulator, 0);
        Assert.Equal(simulator.State.GetGuildIds(0), client.GuildCreates.Select(g => g.Data.GetProperty("id").GetString()));
        string[] keys = ["joined_at", "large", "unavailable", "member_count", "voice_states", "members", "channels", "threads", "presences",
            "stage_instances", "guild_scheduled_events", "soundboard_sounds", "roles", "emojis", "stickers", "owner_id", "name"];
        foreach (var guild in client.GuildCreates.Select(g => g.Data))
        {
            Assert.All(keys, key => Assert.True(guild.TryGetProperty(key, out _), $"missing {key}"));
            Assert.False(guild.GetProperty("unavailable").GetBoolean());
            Assert.All(guild.GetProperty("roles").EnumerateArray(), role =>
            {
                var colors = role.GetProperty("colors");
                Assert.Equal(role.GetProperty("color").GetInt32(), colors.GetProperty("primary_color").GetInt32());
                Assert.True(colors.TryGetProperty("secondary_color", out _));
                Assert.True(colors.TryGetProperty("tertiary_color", out _));
            });
            Assert.NotEmpty(guild.GetProperty("threads").EnumerateArray());
            Assert.NotEmpty(guild.GetProperty("voice_states").EnumerateArray());
            Assert.NotEmpty(guild.GetProperty("emojis").EnumerateArray());
            Assert.NotEmpty(guild.GetProperty("stickers").EnumerateArray());
            Assert.NotEmpty(guild.GetProperty("stage_instances").EnumerateArray());
            Assert.NotEmpty(guild.GetProperty("guild_scheduled_events").EnumerateArray());
            Assert.Equal(guild.GetProperty("member_count").GetInt32(), guild.GetProperty("members").GetArrayLength());
        }
    }

    [Fact]
    public async Task Guilds_are_on_the_shard_their_id_says()
    {
        await using var simulator = await SimulatorClients.StartAsync(o => { o.ShardCount = 3; o.GuildCount = 30; });
        for (var shard = 0; shard < 3; shard++)
        {
            var ids = simulator.State.GetGuildIds(shard);
            Assert.Equal(10, ids.Count);
            Assert.All(ids, id => Assert.Equal(shard, (int)((ulong.Parse(id, System.Globalization.CultureInfo.InvariantCulture) >> 22) % 3)));
        }
    }

    [Fact]
    public async Task Without_presence_intent_guild_create_lists_only_the_bot_and_voice_members()
    {
        await using var simulator = await SimulatorClients.StartAsync();
        await using var client = await SimulatorClients.ConnectIdentifiedAsync(simulator, 0, intents: 1 | 2);
        foreach (var guild in client.GuildCreates.Select(g => g.Data))
        {
            var inVoice = guild.GetProperty("voice_states").EnumerateArray().Select(v => v.GetProperty("user_id").GetString()).ToHashSet();
            var members = guild.GetProperty("members").EnumerateArray().Select(m => m.GetProperty("user").GetProperty("id").GetString()).ToList();
            Assert.Equal(inVoice.Count + 1, members.Count);
            Assert.Contains(simulator.State.BotUserId, members);
            Assert.All(members, id => Assert.True(id == simulator.State.BotUserId || inVoice.Contains(id)));
            Assert.Empty(guild.GetProperty("presences").EnumerateArray());
            Assert.True(guild.GetProperty("member_count").GetInt32() > members.Count);
        }
    }

    [Fact]
    public async Task Above_large_threshold_guild_create_lists_only_online_role_nick_or_voice_members()
    {
        await using var simulator = await SimulatorClients.StartAsync(o => o.MembersPerGuild = 120);
        await using var client = await SimulatorClients.ConnectIdentifiedAsync(simulator, 0, extra: ",\"large_threshold\":50");
        foreach (var message in client.GuildCreates)
        {
            var guild = message.Data;
            Assert.True(guild.GetProperty("large").GetBoolean());
            var online = guild.GetProperty("presences").EnumerateArray().Select(p => p.GetProperty("user").GetProperty("id").GetString()).ToHashSet();
            var inVoice = guild.GetProperty("voice_states").EnumerateArray().Select(v => v.GetProperty("user_id").GetString()).ToHashSet();
            var members = guild.GetProperty("members").EnumerateArray().ToList();
            Assert.True(members.Count < guild.GetProperty("member_count").GetInt32());
            Assert.All(members, m =>
            {
                var id = m.GetProperty("user").GetProperty("id").GetString();
                Assert.True(online.Contains(id) || inVoice.Contains(id) || m.GetProperty("roles").GetArrayLength() > 0 || m.GetProperty("nick").ValueKind == JsonValueKind.String);
            });

            // Every online member is listed.
            var listed = members.Select(m => m.GetProperty("user").GetProperty("id").GetString()).ToHashSet();
            Assert.Subset(listed, online);
        }

        // The full state still has every member.
        var full = simulator.State.GetGuilds(0)[0];
        Assert.Equal(120, full["members"]!.AsArray().Count);
    }

    [Fact]
    public async Task Same_seed_generates_the_same_bot()
    {
        await using var a = await SimulatorClients.StartAsync(o => o.Seed = 42);
        await using var b = await SimulatorClients.StartAsync(o => o.Seed = 42);
        await using var c = await SimulatorClients.StartAsync(o => o.Seed = 43);
        string Dump(GatewayProxy.Simulator.DiscordSimulator s) =>
            string.Join('\n', Enumerable.Range(0, 2).SelectMany(shard => s.State.GetGuilds(shard)).Select(g => g.ToJsonString()));
        Assert.Equal(Dump(a), Dump(b));
        Assert.NotEqual(Dump(a), Dump(c));
        await a.EmitEventsAsync(0, 50);
        await b.EmitEventsAsync(0, 50);
        Assert.Equal(Dump(a), Dump(b));
        Assert.Equal(a.State.BotUser.ToJsonString(), b.State.BotUser.ToJsonString());
    }
}
