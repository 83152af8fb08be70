using System.Text.Json;
using GatewayProxy.Simulator;
using GatewayProxy.Tests.Support;
using Xunit;

namespace GatewayProxy.Tests.Simulator;

/// <summary>op 8, 3, 4 and 31 answered as Discord would.</summary>
public sealed class CommandTests
{
    [Fact]
    public async Task Request_guild_members_is_answered_with_chunks_carrying_the_nonce()
    {
        await using var simulator = await SimulatorClients.StartAsync(o => o.MembersPerGuild = 30);
        await using var client = await SimulatorClients.ConnectIdentifiedAsync(simulator, 0);
        var guildId = simulator.State.GetGuildIds(0)[0];
        await client.Client.SendAsync($"{{\"op\":8,\"d\":{{\"guild_id\":\"{guildId}\",\"query\":\"\",\"limit\":0,\"presences\":true,\"nonce\":\"abc123\"}}}}");
        var chunk = await client.Client.ReceiveAsync();
        Assert.Equal("GUILD_MEMBERS_CHUNK", chunk.Type);
        Assert.Equal("abc123", chunk.Data.GetProperty("nonce").GetString());
        Assert.Equal(guildId, chunk.Data.GetProperty("guild_id").GetString());
        Assert.Equal(0, chunk.Data.GetProperty("chunk_index").GetInt32());
        Assert.Equal(1, chunk.Data.GetProperty("chunk_count").GetInt32());
        Assert.Equal(30, chunk.Data.GetProperty("members").GetArrayLength());
        Assert.Equal(simulator.State.GetGuild(guildId)!["presences"]!.AsArray().Count, chunk.Data.GetProperty("presences").GetArrayLength());
    }

    [Fact]
    public async Task Request_guild_members_by_user_ids_reports_not_found_and_drops_a_long_nonce()
    {
        await using var simulator = await SimulatorClients.StartAsync();
        await using var client = await SimulatorClients.ConnectIdentifiedAsync(simulator, 1);
        var guildId = simulator.State.GetGuildIds(1)[0];
        var nonce = new string('n', 33);
        await client.Client.SendAsync($"{{\"op\":8,\"d\":{{\"guild_id\":\"{guildId}\",\"user_ids\":[\"{simulator.State.BotUserId}\",\"1\"],\"nonce\":\"{nonce}\"}}}}");
        var chunk = await client.Client.ReceiveAsync();
        Assert.Equal(1, chunk.Data.GetProperty("members").GetArrayLength());
        Assert.Equal(["1"], chunk.Data.GetProperty("not_found").EnumerateArray().Select(e => e.GetString()));
        Assert.False(chunk.Data.TryGetProperty("nonce", out _));
    }

    [Fact]
    public async Task Request_soundboard_sounds_answers_one_dispatch_per_guild()
    {
        await using var simulator = await SimulatorClients.StartAsync();
        await using var client = await SimulatorClients.ConnectIdentifiedAsync(simulator, 0);
        var ids = simulator.State.GetGuildIds(0);
        await client.Client.SendAsync($"{{\"op\":31,\"d\":{{\"guild_ids\":[{string.Join(',', ids.Select(i => $"\"{i}\""))}]}}}}");
        var answered = new List<string>();
        foreach (var _ in ids)
        {
            var message = await client.Client.ReceiveAsync();
            Assert.Equal("SOUNDBOARD_SOUNDS", message.Type);
            Assert.NotEmpty(message.Data.GetProperty("soundboard_sounds").EnumerateArray());
            answered.Add(message.Data.GetProperty("guild_id").GetString()!);
        }

        Assert.Equal(ids, answered);
    }

    [Fact]
    public async Task Voice_state_update_joins_and_sends_voice_state_and_server_updates()
    {
        await using var simulator = await SimulatorClients.StartAsync();
        await using var client = await SimulatorClients.ConnectIdentifiedAsync(simulator, 0);
        var guild = client.GuildCreates[0].Data;
        var voice = guild.GetProperty("channels").EnumerateArray().First(c => c.GetProperty("type").GetInt32() == 2).GetProperty("id").GetString();
        var guildId = guild.GetProperty("id").GetString()!;
        await client.Client.SendAsync($"{{\"op\":4,\"d\":{{\"guild_id\":\"{guildId}\",\"channel_id\":\"{voice}\",\"self_mute\":false,\"self_deaf\":true}}}}");
        var state = await client.Client.ReceiveAsync();
        var server = await client.Client.ReceiveAsync();
        Assert.Equal("VOICE_STATE_UPDATE", state.Type);
        Assert.Equal(simulator.State.BotUserId, state.Data.GetProperty("user_id").GetString());
        Assert.Equal(voice, state.Data.GetProperty("channel_id").GetString());
        Assert.True(state.Data.GetProperty("self_deaf").GetBoolean());
        Assert.Equal("VOICE_SERVER_UPDATE", server.Type);
        Assert.Equal(guildId, server.Data.GetProperty("guild_id").GetString());
        Assert.False(string.IsNullOrEmpty(server.Data.GetProperty("token").GetString()));
        Assert.EndsWith(":443", server.Data.GetProperty("endpoint").GetString(), StringComparison.Ordinal);
        Assert.Contains(simulator.State.GetGuild(guildId)!["voice_states"]!.AsArray(), v => (string?)v!["user_id"] == simulator.State.BotUserId);
    }

    [Fact]
    public async Task Presence_update_changes_the_bots_presence_in_every_guild()
    {
        await using var simulator = await SimulatorClients.StartAsync();
        await using var client = await SimulatorClients.ConnectIdentifiedAsync(simulator, 0);
        await client.Client.SendAsync("{\"op\":3,\"d\":{\"since\":null,\"activities\":[{\"name\":\"tests\",\"type\":0}],\"status\":\"dnd\",\"afk\":false}}");
        foreach (var id in simulator.State.GetGuildIds(0))
        {
            var update = await client.Client.ReceiveAsync();
            Assert.Equal("PRESENCE_UPDATE", update.Type);
            Assert.Equal(id, update.Data.GetProperty("guild_id").GetString());
            Assert.Equal("dnd", update.Data.GetProperty("status").GetString());
            Assert.Equal("tests", update.Data.GetProperty("activities")[0].GetProperty("name").GetString());
        }
    }

    [Fact]
    public async Task Invalid_payload_for_a_command_closes_4001()
    {
        await using var simulator = await SimulatorClients.StartAsync();
        await using var client = await SimulatorClients.ConnectIdentifiedAsync(simulator, 0);
        await client.Client.SendAsync("{\"op\":3,\"d\":{\"status\":\"sleeping\"}}");
        Assert.Equal((ushort)4001, await client.Client.ReceiveCloseAsync());
    }

    [Fact]
    public async Task Received_commands_are_recorded_per_shard_in_order()
    {
        await using var simulator = await SimulatorClients.StartAsync();
        await using var client = await SimulatorClients.ConnectIdentifiedAsync(simulator, 1);
        await client.Client.HeartbeatAsync();
        await client.Client.ReceiveAsync();
        var commands = simulator.GetReceivedCommands(1);
        Assert.Equal([2, 1], commands.Select(c => c.Op));
        using var identify = JsonDocument.Parse(commands[0].Payload);
        Assert.Equal(1, identify.RootElement.GetProperty("d").GetProperty("shard")[0].GetInt32());
        Assert.Empty(simulator.GetReceivedCommands(0));
    }

    [Theory]
    [InlineData(new[] { "--port", "0", "--shards", "3", "--guilds", "9", "--rate", "2.5", "--tls" }, true)]
    [InlineData(new[] { "--shards", "0" }, false)]
    [InlineData(new[] { "--rate" }, false)]
    [InlineData(new[] { "--bogus", "1" }, false)]
    public void Command_line_parses_options_or_names_the_problem(string[] args, bool ok)
    {
        Assert.Equal(ok, CommandLine.TryParse(args, out var options, out _, out var error));
        if (ok)
        {
            Assert.Equal(3, options.ShardCount);
            Assert.Equal(9, options.GuildCount);
            Assert.Equal(2.5, options.EventsPerSecond);
            Assert.True(options.Tls);
        }
        else
        {
            Assert.False(string.IsNullOrEmpty(error));
        }
    }
}
